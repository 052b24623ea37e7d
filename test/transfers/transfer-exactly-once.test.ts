import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { expectNoGraphQLErrors, type GraphQLResponse } from '../support/graphql-client.ts';
import type { TestGateway } from '../support/gateway.ts';
import {
  startGatewayOnProxiedDatabase,
  type GatewayOnProxiedDatabase,
} from '../support/gateway-on-proxied-database.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';
import { REPORT_STEP, TRANSFER_CLUE, anyangClue, sendClue, type MutationOutcome } from './transfer-fixtures.ts';

/** The statement only a mutation's own transaction sends: the key's record, written last before COMMIT. */
const KEY_SAVED = 'INSERT INTO "public"."transfer_idempotency_key"';

describe.runIf(TEST_DATABASE_URL !== undefined)('a transfer mutation is done exactly once', { timeout: 60_000 }, () => {
  let setup: GatewayOnProxiedDatabase | undefined;
  let gw: TestGateway;
  let proxy: TcpProxy;
  let direct: Store;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase();
    ({ gw, proxy, direct } = setup);
  }, 180_000);
  afterAll(() => setup?.close());

  let clues = 0;
  function clueInput(findings = `现场检查发现过期食品 ${randomUUID()}`) {
    const { subject, powerItemCode } = anyangClue(gw.world, clues++);
    return { subject, powerItemCode, findings, evidenceRefs: ['JC-EVID-2026-0001'], inspectionId: null };
  }

  async function send(input: Record<string, unknown>, key: string) {
    return gw.post<{ transferClue: MutationOutcome }>(TRANSFER_CLUE, { input, key }, await gw.as('industry-inspector'));
  }

  async function report(input: Record<string, unknown>, key: string) {
    return gw.post<{ reportTransferStep: MutationOutcome }>(
      REPORT_STEP,
      { input, key },
      await gw.as('township-officer'),
    );
  }

  /** A store outage is answered STORE_UNAVAILABLE (503): retried as a client would, for up to 10 s. */
  async function retried<T>(post: () => Promise<GraphQLResponse<T>>): Promise<GraphQLResponse<T>> {
    const until = Date.now() + 10_000;
    for (;;) {
      const response = await post();
      const code = response.body.errors?.[0]?.extensions?.['code'];
      if (code !== 'STORE_UNAVAILABLE' || Date.now() > until) return response;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  function codes(response: GraphQLResponse): unknown[] {
    return (response.body.errors ?? []).map((error) => error.extensions?.['code']);
  }

  function transfersWith(findings: string): Promise<number> {
    return direct.prisma.clueTransfer.count({ where: { findings } });
  }

  it('makes one transfer when the store connection drops after its COMMIT, and the retry is told the first answer', async () => {
    const input = clueInput();
    const key = randomUUID();
    const cut = proxy.loseCommitAnswerAfter(KEY_SAVED);
    const first = await send(input, key);
    await cut;
    // Committed, but the gateway cannot know: it says the store failed (retry), never 500.
    expect([first.status, codes(first)]).toEqual([503, ['STORE_UNAVAILABLE']]);
    expect(await transfersWith(input.findings)).toBe(1);

    const retry = expectNoGraphQLErrors(await retried(() => send(input, key))).transferClue;
    expect(retry.replayed).toBe(true);
    expect(retry.transfer.findings).toBe(input.findings);
    expect(await transfersWith(input.findings)).toBe(1);
  });

  it('makes the transfer on the retry when the store connection drops before its COMMIT arrives', async () => {
    const input = clueInput();
    const key = randomUUID();
    const cut = proxy.loseCommitAfter(KEY_SAVED);
    const first = await send(input, key);
    await cut;
    expect([first.status, codes(first)]).toEqual([503, ['STORE_UNAVAILABLE']]);
    expect(await transfersWith(input.findings)).toBe(0);

    const retry = expectNoGraphQLErrors(await retried(() => send(input, key))).transferClue;
    expect(retry.replayed).toBe(false);
    expect(await transfersWith(input.findings)).toBe(1);
  });

  it('records one step when the store connection drops after its COMMIT, and the retry is told the first answer', async () => {
    const { transfer } = await sendClue(gw, clueInput());
    const key = randomUUID();
    const cut = proxy.loseCommitAnswerAfter(KEY_SAVED);
    const first = await report({ transferId: transfer.id, step: 'RECEIVED' }, key);
    await cut;
    // Committed, but the gateway cannot know: it says the store failed (retry), never 500.
    expect([first.status, codes(first)]).toEqual([503, ['STORE_UNAVAILABLE']]);

    const retry = expectNoGraphQLErrors(
      await retried(() => report({ transferId: transfer.id, step: 'RECEIVED' }, key)),
    ).reportTransferStep;
    expect(retry).toMatchObject({
      replayed: true,
      step: { seq: 2, kind: 'RECEIVED' },
      transfer: { status: 'RECEIVED' },
    });
    expect(await direct.prisma.clueTransferStep.count({ where: { transferId: transfer.id } })).toBe(2);
  });

  it('makes one transfer when the client hangs up while it is being made, and the retry is told it', async () => {
    const input = clueInput();
    const key = randomUUID();
    const headers = { 'content-type': 'application/json', ...(await gw.as('industry-inspector')) };
    // The store frozen while the request is at it, so the client is gone before the answer can be.
    proxy.hang();
    await hangUpAfterSending(gw.url, JSON.stringify({ query: TRANSFER_CLUE, variables: { input, key } }), headers, 300);
    proxy.thaw();
    const until = Date.now() + 10_000;
    while ((await transfersWith(input.findings)) === 0 && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const retry = expectNoGraphQLErrors(await send(input, key)).transferClue;
    expect(retry.replayed).toBe(true);
    expect(await transfersWith(input.findings)).toBe(1);
  });

  it('makes one transfer of two different requests sent at once under one key, and refuses the other with CONFLICT', async () => {
    const key = randomUUID();
    const [a, b] = [clueInput(), clueInput()];
    const answers = await Promise.all([send(a, key), send(b, key)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const refused = answers.filter((answer) => answer.body.errors);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.body.errors![0]!.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
    expect((await transfersWith(a.findings)) + (await transfersWith(b.findings))).toBe(1);
  });

  it('records one step of a step reported twice at once under one key, both told the same step', async () => {
    const { transfer } = await sendClue(gw, clueInput());
    const key = randomUUID();
    const answers = await Promise.all([1, 2, 3].map(() => report({ transferId: transfer.id, step: 'RECEIVED' }, key)));
    const outcomes = answers.map((answer) => expectNoGraphQLErrors(answer).reportTransferStep);
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => `${outcome.step.seq}:${outcome.step.kind}`))).toEqual(
      new Set(['2:RECEIVED']),
    );
    expect(await direct.prisma.clueTransferStep.count({ where: { transferId: transfer.id } })).toBe(2);
  });

  it('refuses a step key retried with another note with CONFLICT, recording nothing more', async () => {
    const { transfer } = await sendClue(gw, clueInput());
    const key = randomUUID();
    expectNoGraphQLErrors(await report({ transferId: transfer.id, step: 'RECEIVED', note: '已签收' }, key));
    const changed = await report({ transferId: transfer.id, step: 'RECEIVED', note: '已签收，待分办' }, key);
    expect(changed.status).toBe(200);
    expect(changed.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await direct.prisma.clueTransferStep.count({ where: { transferId: transfer.id } })).toBe(2);
  });

  it('refuses a key used for a transfer when it comes back with a step, with CONFLICT, recording nothing', async () => {
    const key = randomUUID();
    const { transfer } = await sendClue(gw, clueInput(), key);
    const answer = await gw.post(
      REPORT_STEP,
      { input: { transferId: transfer.id, step: 'RECEIVED' }, key },
      await gw.as('industry-inspector'),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect(await direct.prisma.clueTransferStep.count({ where: { transferId: transfer.id } })).toBe(1);
  });
});

/** Sends a whole request and closes the connection `afterMs` later, never reading the answer. */
function hangUpAfterSending(
  url: string,
  body: string,
  headers: Record<string, string>,
  afterMs: number,
): Promise<void> {
  return new Promise((resolve) => {
    const sent = request(`${url}/graphql`, { method: 'POST', headers });
    sent.on('error', () => resolve());
    sent.on('close', () => resolve());
    sent.end(body, () => setTimeout(() => sent.destroy(), afterMs));
  });
}
