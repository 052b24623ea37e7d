import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshExchangeDb, TEST_MARIADB_URL, type ExchangeDb } from '../support/exchange-db.ts';
import { startTestGateway } from '../support/gateway.ts';

/**
 * An operator moves the credit platform from its API to its 前置库 (CREDIT_EXCHANGE_DB_URL) on a
 * gateway whose store already follows the API's feeds. The API's page tokens mean nothing to the
 * database, so the credit feeds start again from the database's beginning by themselves, rather
 * than failing with invalid_cursor every minute until someone deletes their cursors by hand.
 */
describe.runIf(TEST_MARIADB_URL !== undefined)('switching the credit source on a running store', () => {
  let dataDir: string;
  let db: ExchangeDb;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'gw-credit-switch-'));
    db = await freshExchangeDb();
  });
  afterAll(async () => {
    await db?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('follows the 前置库’s credit feed from its start, without an error, after following the API’s', async () => {
    const onApi = await startTestGateway({ dataDir });
    const apiCredit = (await onApi.gateway.registrySync.freshness()).find((f) => f.feed === 'credit.subjects')!;
    await onApi.close();
    expect(apiCredit).toMatchObject({ lastError: null });
    expect(apiCredit.records).toBeGreaterThan(0);

    const onDatabase = await startTestGateway({ dataDir, creditExchangeDbUrl: db.url });
    try {
      await onDatabase.simulators.control('credit').setFaults({ down: true });
      await onDatabase.gateway.registrySync.syncOnce();
      const credit = (await onDatabase.gateway.registrySync.freshness()).find((f) => f.feed === 'credit.subjects')!;
      expect(credit.lastError).toBeNull();
      // Every subject read again, from the database this time.
      expect(credit.records).toBe(apiCredit.records + onDatabase.world.creditProfiles.length);
      expect((await onDatabase.simulators.control('credit').stats()).requests).toEqual({});
    } finally {
      await onDatabase.close();
    }
  });
});
