import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrationList } from '../../src/platform/store/migration-files.ts';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';
import { applyPostgresMigrations, MIGRATION_LOCK_KEY } from '../../src/platform/store/postgres-migration.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import { proxiedDatabase, timed } from '../support/proxied-database.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

/** Small bounds, so each refusal is measured in seconds; the defaults are minutes. */
const TIMEOUTS = { connectMs: 1_000, queryMs: 1_000, backgroundQueryMs: 3_000, migrationMs: 2_000 };
/** What the start may add to a bound: closing what it opened, composing the error. */
const SLACK_MS = 1_000;

/** Opening the store migrates it first; each wait of that is bounded and says what it waited for. */
describe.runIf(TEST_DATABASE_URL !== undefined)('migrating the PostgreSQL store when it opens', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let proxy: TcpProxy;
  let throughProxy: string;
  let plain: string;
  const opened: Store[] = [];

  beforeAll(async () => {
    ({ proxy, throughProxy, plain } = await proxiedDatabase(variant, TEST_DATABASE_URL!));
  }, 60_000);
  afterAll(async () => {
    await proxy?.allow();
    await Promise.all(opened.map((store) => store.close()));
    await proxy?.close();
    await variant.dispose();
  });

  async function open(databaseUrl: string): Promise<Store> {
    const store = await openStore({ databaseUrl, timeouts: TIMEOUTS });
    opened.push(store);
    return store;
  }

  it('refuses within the connect bound, naming the server but not the password, when the server accepts connections but never answers', async () => {
    const withPassword = new URL(throughProxy);
    withPassword.password = 'never-printed';
    proxy.hang();
    try {
      const attempt = await timed(() => open(withPassword.toString()));
      const message = attempt.error instanceof Error ? attempt.error.message : String(attempt.error);
      expect(message).toMatch(
        /^PostgreSQL at 127\.0\.0\.1:\d+\/gw_test_\w+ did not answer within 1000 ms \(DATABASE_CONNECT_TIMEOUT_MS\) while opening the store for migrations$/,
      );
      expect(message).not.toContain('never-printed');
      expect(attempt.ms).toBeGreaterThan(TIMEOUTS.connectMs - 100);
      expect(attempt.ms).toBeLessThan(TIMEOUTS.connectMs + SLACK_MS);
    } finally {
      await proxy.allow();
    }
    // Nothing of the failed start is left to get in the way once the server answers again.
    await (await open(throughProxy)).ping();
  }, 15_000);

  it('gives up within the migration bound on a lock another session holds, saying so, and migrates once it is released', async () => {
    const otherGateway = new pg.Client({ connectionString: plain });
    await otherGateway.connect();
    try {
      await otherGateway.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const attempt = await timed(() => open(plain));
      expect(String(attempt.error)).toMatch(
        /another gateway has held the PostgreSQL migration lock for 2000 ms \(DATABASE_MIGRATION_TIMEOUT_MS\)/,
      );
      expect(attempt.ms).toBeGreaterThan(TIMEOUTS.migrationMs - 500);
      expect(attempt.ms).toBeLessThan(TIMEOUTS.migrationMs + SLACK_MS);
    } finally {
      await otherGateway.end();
    }
    await (await open(plain)).ping();
  }, 15_000);

  it('applies every committed migration to a fresh database within the bounds', async () => {
    const fresh = new URL(TEST_DATABASE_URL!);
    fresh.pathname = `/gw_test_${randomBytes(6).toString('hex')}`;
    await admin(`CREATE DATABASE "${fresh.pathname.slice(1)}"`);
    try {
      const applied = await applyPostgresMigrations(fresh.toString(), { connectMs: 1_000, migrationMs: 10_000 });
      const committed = (await readMigrationList()).migrationDirectories.map((directory) => directory.path);
      expect(applied).toEqual(committed);
    } finally {
      await admin(`DROP DATABASE IF EXISTS "${fresh.pathname.slice(1)}" WITH (FORCE)`);
    }
  }, 60_000);
});

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
