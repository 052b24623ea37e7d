import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { openStore, type Store, type StoreOptions } from '../../src/platform/store/open-store.ts';
import { DEFAULT_POSTGRES_POOLS } from '../../src/platform/store/store-pools.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';

describe('the PostgreSQL pool sizes as configured', () => {
  it('default to 10 connections for requests and 6 for background work', () => {
    expect(loadConfig({}).databasePools).toEqual(DEFAULT_POSTGRES_POOLS);
    expect(DEFAULT_POSTGRES_POOLS).toEqual({ requests: 10, background: 6 });
  });

  it('are read from DATABASE_POOL_SIZE and DATABASE_BACKGROUND_POOL_SIZE', () => {
    const config = loadConfig({ DATABASE_POOL_SIZE: '4', DATABASE_BACKGROUND_POOL_SIZE: '2' });

    expect(config.databasePools).toEqual({ requests: 4, background: 2 });
  });

  it.each([
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', '101'],
    ['DATABASE_POOL_SIZE', 'ten'],
    ['DATABASE_BACKGROUND_POOL_SIZE', '0'],
    ['DATABASE_BACKGROUND_POOL_SIZE', '51'],
  ])('refuse %s=%s, naming the setting', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });
});

/** Connections the server holds for one pool of the store, read from pg_stat_activity. */
async function sessionsOf(admin: pg.Client, database: string, pool: string): Promise<number> {
  const { rows } = await admin.query<{ n: string }>(
    'SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
    [database, `shenguanzhixin-gateway/${pool}`],
  );
  return Number(rows[0]!.n);
}

/**
 * Inside a describe: a fresh database of its own on the test server, and a store opened on it with
 * `options`; both gone after the block. `admin` reads pg_stat_activity beside it.
 */
function scratchStore(options: Omit<StoreOptions, 'databaseUrl'>) {
  const database = `gw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  let store: Store | undefined;
  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE DATABASE "${database}"`);
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    store = await openStore({ ...options, databaseUrl: url.toString() });
  }, 60_000);
  afterAll(async () => {
    await store?.close();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });
  return {
    database,
    admin,
    get store(): Store {
      if (!store) throw new Error('the scratch store is not open yet');
      return store;
    },
  };
}

describe.runIf(TEST_DATABASE_URL !== undefined)('a store opened with small pools', () => {
  const scratch = scratchStore({ pools: { requests: 2, background: 1 } });

  it('runs five concurrent request statements on at most two connections, each named for its pool', async () => {
    const sleeping = Array.from(
      { length: 5 },
      () => scratch.store.prisma.$queryRaw`SELECT 1 AS slept FROM pg_sleep(0.3)`,
    );
    let most = 0;
    const watching = (async () => {
      for (let i = 0; i < 10; i += 1) {
        most = Math.max(most, await sessionsOf(scratch.admin, scratch.database, 'requests'));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();

    await Promise.all([...sleeping, watching]);

    expect(most).toBe(2);
  });

  it('runs background statements on one connection of their own', async () => {
    await Promise.all(
      Array.from({ length: 3 }, () => scratch.store.background.$queryRaw`SELECT 1 AS slept FROM pg_sleep(0.1)`),
    );

    expect(await sessionsOf(scratch.admin, scratch.database, 'background')).toBe(1);
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('a request pool that is merely full', () => {
  const changes: boolean[] = [];
  const scratch = scratchStore({
    pools: { requests: 1, background: 1 },
    // A caller waits at most 300 ms for a free connection.
    timeouts: { connectMs: 300, queryMs: 5_000, backgroundQueryMs: 5_000, migrationMs: 30_000 },
    onHealthChange: ({ up }) => changes.push(up),
  });

  it('fails the caller who found no free connection, without counting the store as down', async () => {
    // Started now: a Prisma query runs only once something awaits it.
    const busy = scratch.store.prisma.$queryRaw`SELECT 1 AS slept FROM pg_sleep(2.5)`.then((rows) => rows);
    await new Promise((resolve) => setTimeout(resolve, 100));

    await expect(scratch.store.prisma.$queryRaw`SELECT 1 AS one`).rejects.toThrow();
    await busy;

    expect(changes).toEqual([]);
    await expect(scratch.store.prisma.$queryRaw`SELECT 1 AS one`).resolves.toEqual([{ one: 1 }]);
  }, 15_000);
});
