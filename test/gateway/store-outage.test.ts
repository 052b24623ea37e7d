import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import type { GraphQLResponse } from '../support/graphql-client.ts';
import type { TestGateway } from '../support/gateway.ts';
import {
  startGatewayOnProxiedDatabase,
  type GatewayOnProxiedDatabase,
} from '../support/gateway-on-proxied-database.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import { createSampleGrant } from '../support/sample-grant.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

const MATTER = '瑞综执立〔2026〕7号';
const OUTAGE_MS = 15_000;

describe.runIf(TEST_DATABASE_URL !== undefined)('a PostgreSQL outage', () => {
  let setup: GatewayOnProxiedDatabase | undefined;
  let gw: TestGateway;
  let proxy: TcpProxy;
  let direct: Store;
  /** GraphQL answers given (HTTP 200), counted over the whole test. */
  let answered = 0;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase();
    ({ gw, proxy, direct } = setup);
  }, 180_000);
  afterAll(() => setup?.close());

  /** One request of each kind: unconditional and conditional reads, the auditors' read of the log, a mutation. */
  async function everyKind(): Promise<GraphQLResponse[]> {
    const enterprise = gw.world.enterprises[0]!;
    const clue = gw.world.clues[0]!;
    const kinds: Array<() => Promise<GraphQLResponse>> = [
      async () =>
        gw.post(
          'query ($u: USCC!) { subject(uscc: $u) { name } }',
          { u: enterprise.uscc },
          await gw.as('county-analyst'),
        ),
      async () =>
        gw.post(
          'query ($id: ID!) { clue(id: $id) { id status receivedAt } }',
          { id: clue.id },
          await gw.as('county-enforcement', MATTER),
        ),
      async () => gw.post('{ accessLog(first: 1) { entries { seq } } }', {}, await gw.as('auditor')),
      () => createSampleGrant(gw, MATTER),
    ];
    const responses: GraphQLResponse[] = [];
    // One at a time, so the outage never starts in the middle of a request.
    for (const send of kinds) {
      const response = await send();
      if (response.status === 200) answered += 1;
      responses.push(response);
    }
    return responses;
  }

  function expectAllAnswered(responses: readonly GraphQLResponse[]): void {
    for (const response of responses)
      expect(response.body.errors, JSON.stringify(response.body.errors)).toBeUndefined();
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 200));
  }

  it(
    'is answered 503 with Retry-After, never 500, and within 5 s of recovery every kind of query works, each answer logged',
    { timeout: 120_000 },
    async () => {
      expectAllAnswered(await everyKind());

      await proxy.refuse();
      const outageEnds = Date.now() + OUTAGE_MS;
      const seen = new Set<string>();
      let rounds = 0;
      while (Date.now() < outageEnds) {
        for (const response of await everyKind()) {
          expect(response.status, JSON.stringify(response.body)).toBe(503);
          expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
          const code = String(response.body.errors?.[0]?.extensions?.['code']);
          expect(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']).toContain(code);
          expect(response.body.data ?? null).toBeNull();
          seen.add(code);
        }
        const ready = await fetch(`${gw.url}/readyz`);
        const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
        expect(ready.status).toBe(503);
        expect(body.status).toBe('not_ready');
        expect(body.checks['accessLog']?.ok).toBe(false);
        rounds += 1;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(rounds).toBeGreaterThan(1);
      // Most are refused before the log is reached: the caller's grants are read from the store first.
      expect(seen.has('STORE_UNAVAILABLE')).toBe(true);

      await proxy.allow();
      await vi.waitFor(async () => expectAllAnswered(await everyKind()), { timeout: 5_000, interval: 100 });
      expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);

      // No answer without its entry, no entry without its answer, and the chain whole.
      const verdict = await verifyChain(direct.prisma);
      expect(verdict).toMatchObject({ ok: true, entries: answered });
    },
  );
});
