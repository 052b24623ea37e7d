import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { postRaw } from '../support/graphql-client.ts';

/**
 * A document over the query limits is refused before Apollo's pipeline (src/http/limit-refusal.ts),
 * with the answer and the access-log entry Apollo and the access-log plugin gave it when it was
 * refused during validation (these tests pass on either path).
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const PURPOSE = '瑞综执立〔2026〕88号';

const post = (body: unknown, headers: Record<string, string>) => postRaw(gw.url, body, headers);

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  return entry;
}

/** `permits { holder { … uscc } }`, `pairs` pairs deep (two levels each). */
const chain = (pairs: number) => {
  let selection = 'uscc';
  for (let i = 0; i < pairs; i += 1) selection = `permits { holder { ${selection} } }`;
  return selection;
};

const refusal = (message: string) =>
  `{"errors":[{"message":"${message}","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}\n`;

describe('a document over the query limits', () => {
  it('over the depth limit: answered as Apollo answers it, byte for byte, and recorded as the plugin records it', async () => {
    const uscc = gw.world.enterprises[0]!.uscc;
    const query = `query Deep($u: USCC!) { subject(uscc: $u) { ${chain(20)} } }`;
    const variables = { u: uscc };
    const response = await post({ query, variables, operationName: 'Deep' }, await gw.as('county-analyst', PURPOSE));
    expect(response.status).toBe(400);
    expect(response.contentType).toBe('application/json; charset=utf-8');
    expect(response.text).toBe(refusal('Query depth limit of 12 exceeded, found 42.'));
    expect(await newestEntry()).toMatchObject({
      callerSubject: expect.stringMatching(/.+/),
      outcome: 'ERROR',
      reason: null,
      purpose: PURPOSE,
      operationName: 'Deep',
      queryHash: hashQuery(query, variables),
      deniedFields: [],
      subjects: [],
    });
    // Counted as the metrics plugin counts a failed validation: the operation's type, its name as `other`.
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_graphql_operations_total\{type="query",name="other",outcome="error"\} 1\n/);
  });

  it('over the depth limit through fragment spreads: still refused; a shallow document with fragments accepted', async () => {
    const headers = await gw.as('county-analyst', PURPOSE);
    const uscc = gw.world.enterprises[0]!.uscc;
    const fragments = Array.from(
      { length: 10 },
      (_, i) => `fragment F${i} on Subject { permits { holder { ${i === 9 ? 'uscc' : `...F${i + 1}`} } } }`,
    ).join(' ');
    const deep = await post({ query: `{ subject(uscc: "${uscc}") { ...F0 } } ${fragments}` }, headers);
    expect(deep.status).toBe(400);
    expect(deep.text).toBe(refusal('Query depth limit of 12 exceeded, found 22.'));
    const shallow = `{ subject(uscc: "${uscc}") { ...S } } fragment S on Subject { uscc name }`;
    for (let i = 0; i < 2; i += 1) {
      // Twice: the second time the document is known to be within the limits.
      const response = await post({ query: shallow }, headers);
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toMatchObject({ data: { subject: { uscc } } });
    }
  });

  it('over the cost limit and the aliases limit: every limit it breaks, in the rules order', async () => {
    const headers = await gw.as('county-analyst', PURPOSE);
    const costly = await post({ query: `{ subjects(first: 100) { nodes { ${'name '.repeat(250)}} } }` }, headers);
    expect(costly.status).toBe(400);
    expect(costly.text).toBe(refusal('Query Cost limit of 20000 exceeded, found 25400.'));
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: checkUscc(code: "x") { valid }`).join(' ');
    const both = await post({ query: `{ ${aliases} subject(uscc: "x") { ${chain(8)} } }` }, headers);
    expect(both.status).toBe(400);
    expect(both.text).toBe(
      `{"errors":[{"message":"Query depth limit of 12 exceeded, found 18.","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}},{"message":"Aliases limit of 20 exceeded, found 25.","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}\n`,
    );
  });

  it('over the cost limit by a page size it cannot see: a variable counts as the largest page of its list, an absent one as its default', async () => {
    const headers = await gw.as('county-analyst', PURPOSE);
    // The same document as above with `first: $n`: once counted as one subject, so 100 ran at a cost of 254.
    const byVariable = await post(
      { query: `query($n: Int) { subjects(first: $n) { nodes { ${'name '.repeat(250)}} } }`, variables: { n: 100 } },
      headers,
    );
    expect(byVariable.status).toBe(400);
    expect(byVariable.text).toBe(refusal('Query Cost limit of 20000 exceeded, found 25400.'));
    // No `first`: the 20 subjects of the default page, not one.
    const byDefault = await post({ query: `{ subjects { nodes { ${'name '.repeat(1000)}} } }` }, headers);
    expect(byDefault.status).toBe(400);
    expect(byDefault.text).toBe(refusal('Query Cost limit of 20000 exceeded, found 20080.'));
    // A page size inside an input object (`transfers(filter: { first })`), up to 200.
    const inAnInput = await post(
      { query: `query($n: Int) { transfers(filter: { first: $n }) { ${'id '.repeat(100)}} }`, variables: { n: 200 } },
      headers,
    );
    expect(inAnInput.status).toBe(400);
    expect(inAnInput.text).toBe(refusal('Query Cost limit of 20000 exceeded, found 20400.'));
  });

  it('the operations of the console, whose page sizes are variables, stay within the cost limit', async () => {
    const headers = await gw.as('county-analyst', PURPOSE);
    const loopGaps = readFileSync(new URL('../../web/operations/loop-gaps.graphql', import.meta.url), 'utf8');
    const response = await post({ query: loopGaps, operationName: 'LoopGaps', variables: { first: 500 } }, headers);
    expect(response.text).not.toContain('Cost limit');
  });

  it('a document within the limits with other mistakes still gets graphql-js answer to them', async () => {
    const response = await post({ query: '{ nope }' }, await gw.as('county-analyst', PURPOSE));
    expect(response.status).toBe(400);
    expect(JSON.parse(response.text).errors[0].message).toMatch(/^Cannot query field "nope"/);
  });

  it('fails closed: when its entry cannot be written, 503 with Retry-After and no refusal', async () => {
    const headers = await gw.as('county-analyst', PURPOSE);
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all_limits CHECK (seq < 0) NOT VALID',
    );
    try {
      const response = await post({ query: `{ subject(uscc: "x") { ${chain(20)} } }` }, headers);
      expect(response.status).toBe(503);
      expect(response.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(response.text).not.toContain('depth limit');
      expect(JSON.parse(response.text).errors[0].extensions.code).toBe('ACCESS_LOG_UNAVAILABLE');
    } finally {
      await gw.gateway.store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP CONSTRAINT refuse_all_limits');
    }
  });
});
