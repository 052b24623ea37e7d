import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import type { GraphQLResponse } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import { proxiedDatabase } from '../support/proxied-database.ts';
import { createSampleGrant } from '../support/sample-grant.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';
import { anyangClue } from '../transfers/transfer-fixtures.ts';

const MATTER = '瑞综执立〔2026〕7号';

/**
 * What a PostgreSQL restart, a failover or an operator's `pg_terminate_backend` does to a running
 * gateway: its connections end with FATAL 57P01. It must fail closed (503 with Retry-After, never
 * a 500, never an uncaught error that ends the process) and serve again by itself.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)('a gateway whose PostgreSQL backends are terminated', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let direct: Store;
  let proxy: TcpProxy;
  let gw: TestGateway;
  /** Errors that would have ended a gateway's process. */
  const uncaught: unknown[] = [];
  const collect = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.on('uncaughtExceptionMonitor', collect);
    process.on('unhandledRejection', collect);
    // A database of the test's own: terminating its backends touches nobody else's.
    let throughProxy: string;
    ({ direct, proxy, throughProxy } = await proxiedDatabase(variant, TEST_DATABASE_URL!));
    // The registry sync stores each page in a transaction on the background pool: every 100 ms,
    // background work meets the terminations too.
    gw = await startTestGateway({
      authRequired: true,
      databaseUrl: throughProxy,
      env: { REGISTRY_SYNC_INTERVAL_MS: '100' },
    });
  }, 180_000);
  afterEach(() => {
    proxy.terminateAfterStartup(0);
    expect(uncaught.splice(0).map(String)).toEqual([]);
  });
  afterAll(async () => {
    process.off('uncaughtExceptionMonitor', collect);
    process.off('unhandledRejection', collect);
    await gw?.close();
    await proxy?.close();
    await variant.dispose();
  });

  /** Terminates the database's backends (the test's own connection aside), as an operator would. */
  async function terminateBackends(which: 'every' | 'idle' = 'every'): Promise<void> {
    const idleOnly = which === 'idle' ? `AND state = 'idle'` : '';
    await direct.prisma.$queryRawUnsafe(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() ${idleOnly}`,
    );
  }

  let transfers = 0;

  async function transferClue(): Promise<GraphQLResponse> {
    const { subject, powerItemCode } = anyangClue(gw.world, (transfers += 1));
    return gw.post(
      'mutation ($input: TransferClueInput!, $key: String!) { transferClue(input: $input, idempotencyKey: $key) { transfer { id } } }',
      { input: { subject, powerItemCode, findings: '无照经营', evidenceRefs: ['E1'] }, key: randomUUID() },
      await gw.as('industry-inspector'),
    );
  }

  /** One request of each kind, each with its access-log entry: agency data, a conditional read, a grant, a clue transfer. */
  async function everyKind(): Promise<GraphQLResponse[]> {
    const enterprise = gw.world.enterprises[0]!;
    const clue = gw.world.clues[0]!;
    return Promise.all([
      transferClue(),
      gw.post(
        'query ($u: USCC!) { subject(uscc: $u) { name } }',
        { u: enterprise.uscc },
        await gw.as('county-analyst'),
      ),
      gw.post(
        'query ($id: ID!) { clue(id: $id) { id status } }',
        { id: clue.id },
        await gw.as('county-enforcement', MATTER),
      ),
      createSampleGrant(gw, MATTER),
    ]);
  }

  /** Answered, or refused as the store's outage is: 503, Retry-After, a store code, no data. */
  function expectFailedClosed(responses: readonly GraphQLResponse[]): void {
    for (const response of responses) {
      if (response.status === 200 && response.body.errors === undefined) continue;
      expect(response.status, JSON.stringify(response.body)).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']).toContain(
        String(response.body.errors?.[0]?.extensions?.['code']),
      );
      expect(response.body.data ?? null).toBeNull();
    }
  }

  async function expectServingAgainWithin(ms: number): Promise<void> {
    await vi.waitFor(
      async () => {
        const responses = await everyKind();
        expect(responses.map((response) => [response.status, response.body.errors])).toEqual(
          responses.map(() => [200, undefined]),
        );
        expect((await fetch(`${gw.url}/readyz`)).status).toBe(200);
      },
      { timeout: ms, interval: 100 },
    );
  }

  it('serves again by itself once its idle backends were terminated, refusing meanwhile with 503, never 500', async () => {
    await expectServingAgainWithin(5_000);
    await terminateBackends('idle');
    for (let round = 0; round < 3; round += 1) expectFailedClosed(await everyKind());
    await expectServingAgainWithin(5_000);
  }, 60_000);

  /** Four workers sending every kind of request for `ms`, each answer checked, while the backends are terminated every 150 ms. */
  async function underLoadWithTerminations(ms: number): Promise<Map<number, number>> {
    const until = Date.now() + ms;
    const statuses = new Map<number, number>();
    const load = async () => {
      while (Date.now() < until) {
        const responses = await everyKind();
        expectFailedClosed(responses);
        for (const { status } of responses) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    const terminations = async () => {
      while (Date.now() < until) {
        await terminateBackends();
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    };
    await Promise.all([load(), load(), load(), load(), terminations()]);
    return statuses;
  }

  it('under load with its backends terminated again and again, answers 200 or 503 with Retry-After only, then serves again', async () => {
    await expectServingAgainWithin(5_000);
    const statuses = await underLoadWithTerminations(6_000);
    expect(statuses.get(503)).toBeGreaterThan(0);
    await expectServingAgainWithin(5_000);
  }, 60_000);

  it('under load with every second new backend also terminated as soon as it is ready, never fails otherwise than 503, then serves again', async () => {
    await expectServingAgainWithin(5_000);
    // Half the connections opened last: the store's probe sees it answer, and work goes on opening
    // connections, some of them ended between their ReadyForQuery and their first statement.
    proxy.terminateAfterStartup(2);
    const statuses = await underLoadWithTerminations(6_000);
    proxy.terminateAfterStartup(0);
    expect(statuses.get(503)).toBeGreaterThan(0);
    await expectServingAgainWithin(5_000);
  }, 60_000);

  it('refuses with 503 while each new backend is terminated as soon as it is ready, and serves again once they last', async () => {
    await expectServingAgainWithin(5_000);
    proxy.terminateAfterStartup(1);
    await terminateBackends();
    const refused: GraphQLResponse[] = [];
    for (let round = 0; round < 5; round += 1) refused.push(...(await everyKind()));
    // Long enough for the registry sync to try a few times too.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expectFailedClosed(refused);
    expect(refused.some((response) => response.status === 503)).toBe(true);
    proxy.terminateAfterStartup(0);
    await expectServingAgainWithin(5_000);
  }, 60_000);

  it('keeps its access log whole through all of it', async () => {
    expect(await verifyChain(direct.prisma)).toMatchObject({ ok: true });
  });
});
