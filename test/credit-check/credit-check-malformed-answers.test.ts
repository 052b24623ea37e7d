import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateWorld, startSimulator, type CreditCheckManifest } from '../../simulators/index.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * The credit platform answering its subjects batch wrongly, between the gateway and the
 * simulator: every wrong answer is either refused (503) or leaves the rules reading it not
 * evaluated; none lets a D-graded, dishonesty-listed applicant look clear.
 */

const BATCH = `query ($requests: [CreditCheckRequest!]!) { creditChecks(requests: $requests) {
  uscc verdict complete reasons { ruleId } notEvaluated { ruleId reason sources } } }`;

interface Check {
  uscc: string;
  verdict: string;
  complete: boolean;
  reasons: Array<{ ruleId: string }>;
  notEvaluated: Array<{ ruleId: string; reason: string; sources: string[] }>;
}

/** How the platform's answer to `POST /xy/subjects/batch` is changed on its way. */
type Mangle = (body: { data: unknown }) => string;
const asIs: Mangle = (body) => JSON.stringify(body);

/** A credit platform that answers through `mangle`, set per test. */
async function startMangler(target: string): Promise<{ server: Server; url: string; set(m: Mangle): void }> {
  let mangle = asIs;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const upstream = await fetch(target + request.url, {
      method: request.method,
      headers: { 'content-type': 'application/json' },
      body: request.method === 'POST' ? Buffer.concat(chunks) : undefined,
    });
    const text = await upstream.text();
    const mangled = request.url?.startsWith('/xy/subjects/batch') ? mangle(JSON.parse(text)) : text;
    response.writeHead(upstream.status, { 'content-type': 'application/json' });
    response.end(mangled);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, set: (m) => (mangle = m) };
}

let gw: TestGateway;
let credit: Awaited<ReturnType<typeof startSimulator>>;
let mangler: Awaited<ReturnType<typeof startMangler>>;
let requests: Array<{ uscc: string; item: string; asOf: string }>;

beforeAll(async () => {
  // A credit platform of the test gateway's world (scale 1, seed 42) of its own, behind the mangler.
  credit = await startSimulator('credit', generateWorld({ scale: 1, seed: 42 }));
  mangler = await startMangler(credit.url);
  gw = await startTestGateway({ authRequired: true, env: { CREDIT_URL: mangler.url } });
  const manifest: CreditCheckManifest = await credit.control.creditCheckManifest();
  // Graded D; and on the serious-dishonesty list (and graded D too).
  requests = ['credit-grade-d', 'serious-dishonesty-list'].map((rule) => {
    const c = manifest.triggered.find((t) => t.rule === rule)!;
    return { uscc: c.subjectUscc, item: c.item, asOf: manifest.asOf };
  });
}, 180_000);
afterAll(async () => {
  await gw?.close();
  mangler?.server.close();
  await credit?.close();
});

async function checks(): Promise<Check[]> {
  return expectNoGraphQLErrors(
    await gw.post<{ creditChecks: Check[] }>(BATCH, { requests }, await gw.as('permit-officer')),
  ).creditChecks;
}

function expectCreditRulesUnread(results: Check[]): void {
  for (const result of results) {
    expect(result.complete, result.uscc).toBe(false);
    expect(result.reasons).toEqual([]);
    for (const ruleId of ['serious-dishonesty-list', 'credit-grade-d'])
      expect(result.notEvaluated).toContainEqual({
        ruleId,
        reason: 'RECORDS_NOT_READABLE',
        sources: ['credit.subject'],
      });
  }
}

describe('a credit check while the credit platform answers its subjects wrongly', () => {
  it('restricts both applicants while the platform answers as it should', async () => {
    mangler.set(asIs);
    const [graded, listed] = await checks();
    expect(graded!.reasons.map((r) => r.ruleId)).toEqual(['credit-grade-d']);
    expect(listed!.reasons.map((r) => r.ruleId)).toEqual(['serious-dishonesty-list', 'credit-grade-d']);
  });

  it('leaves the credit rules not evaluated when the platform answers no profile for them', async () => {
    mangler.set((body) => JSON.stringify({ ...body, data: [] }));
    expectCreditRulesUnread(await checks());
  });

  it('leaves them not evaluated when the profiles lack their grade and listing', async () => {
    mangler.set((body) =>
      JSON.stringify({
        ...body,
        data: (body.data as Array<Record<string, unknown>>).map(({ xydj: _grade, sxmd: _listing, ...rest }) => rest),
      }),
    );
    expectCreditRulesUnread(await checks());
  });

  it('gives no verdict at all for an answer of the wrong shape, or not JSON', async () => {
    for (const mangle of [
      (body: { data: unknown }) => JSON.stringify({ ...body, data: null }),
      (body: { data: unknown }) => JSON.stringify(body).slice(0, 40),
    ]) {
      mangler.set(mangle);
      const response = await gw.post(BATCH, { requests }, await gw.as('permit-officer'));
      expect(response.status).toBe(503);
      expect(expectGraphQLErrors(response)[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_BAD_RESPONSE',
        system: 'credit',
      });
    }
    mangler.set(asIs);
  });
});
