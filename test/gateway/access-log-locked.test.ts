import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { timed, proxiedDatabase } from '../support/proxied-database.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

const QUERY_TIMEOUT_MS = 2_000;

describe.runIf(TEST_DATABASE_URL !== undefined)('an access log another session holds locked', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let proxy: TcpProxy;
  let plain: string;
  let gw: TestGateway;

  beforeAll(async () => {
    ({ proxy, plain } = await proxiedDatabase(variant, TEST_DATABASE_URL!));
    gw = await startTestGateway({
      authRequired: true,
      databaseUrl: plain,
      env: { DATABASE_QUERY_TIMEOUT_MS: String(QUERY_TIMEOUT_MS) },
    });
  }, 180_000);
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await variant.dispose();
  });

  const subjectName = async () =>
    gw.post(
      'query ($u: USCC!) { subject(uscc: $u) { name } }',
      { u: gw.world.enterprises[0]!.uscc },
      await gw.as('county-analyst'),
    );

  it('refuses a request after one statement timeout, not two, and serves again once the lock is gone', async () => {
    expect((await subjectName()).status).toBe(200);
    const locker = new pg.Client({ connectionString: plain });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE access_log IN ACCESS EXCLUSIVE MODE');
      let response: Awaited<ReturnType<typeof subjectName>> | undefined;
      const { ms } = await timed(async () => {
        response = await subjectName();
      });
      expect(response!.status, JSON.stringify(response!.body)).toBe(503);
      expect(response!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      // The usual INSERT waited its whole timeout; the careful way would have waited another.
      expect(ms).toBeLessThan(1.5 * QUERY_TIMEOUT_MS);
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
    }
    await expect.poll(async () => (await subjectName()).status, { timeout: 15_000, interval: 250 }).toBe(200);
  }, 120_000);
});
