import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/platform/store/open-store.ts';
import { DEFAULT_POSTGRES_TIMEOUTS } from '../../src/platform/store/store-timeouts.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * A start on PostgreSQL whose database is not there yet or drops it (a server still starting, a
 * fail-over, a backend terminated during migrations) waits for it, with back-off, up to
 * DATABASE_START_WAIT_MS, rather than failing at the first refused or terminated connection:
 * under an orchestrator the gateway and its database often start together.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)(
  'opening the PostgreSQL store while the database comes and goes',
  () => {
    let proxy: TcpProxy;
    let throughProxy: string;

    beforeAll(async () => {
      // A fresh, empty database of the test's own: the first open below applies every migration.
      const name = `gw_test_start_${Date.now()}`;
      const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await admin.connect();
      await admin.query(`CREATE DATABASE "${name}"`);
      await admin.end();
      const server = new URL(TEST_DATABASE_URL!);
      proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
      const url = new URL(TEST_DATABASE_URL!);
      url.hostname = '127.0.0.1';
      url.port = String(proxy.port);
      url.pathname = `/${name}`;
      throughProxy = url.toString();
      cleanup = async () => {
        const drop = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await drop.connect();
        await drop.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await drop.end();
      };
    });
    let cleanup: () => Promise<void> = async () => undefined;
    afterAll(async () => {
      await proxy?.close();
      await cleanup();
    });

    it('waits while every new connection is terminated as soon as it is ready, then migrates and opens', async () => {
      proxy.terminateAfterStartup(1);
      setTimeout(() => proxy.terminateAfterStartup(0), 1500);
      const store = await openStore({
        databaseUrl: throughProxy,
        timeouts: { ...DEFAULT_POSTGRES_TIMEOUTS, connectMs: 1000, startWaitMs: 20_000 },
      });
      try {
        const [row] = await store.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`;
        expect(Number(row!.n)).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    }, 40_000);

    it('waits while connections are refused, then opens', async () => {
      await proxy.refuse();
      setTimeout(() => void proxy.allow(), 1500);
      const store = await openStore({
        databaseUrl: throughProxy,
        timeouts: { ...DEFAULT_POSTGRES_TIMEOUTS, connectMs: 1000, startWaitMs: 20_000 },
      });
      await store.close();
    }, 40_000);

    it('gives up once the wait is over, saying how long it waited and which setting bounds it', async () => {
      await proxy.refuse();
      try {
        const started = Date.now();
        const failure = await openStore({
          databaseUrl: throughProxy,
          timeouts: { ...DEFAULT_POSTGRES_TIMEOUTS, connectMs: 1000, startWaitMs: 1500 },
        }).then(
          () => null,
          (error: unknown) => error as Error,
        );
        expect(failure?.message).toMatch(
          /could not be opened for migrations: .*ECONNREFUSED.*; still so after waiting 1500 ms \(DATABASE_START_WAIT_MS\)/,
        );
        expect(Date.now() - started).toBeLessThan(6000);
      } finally {
        await proxy.allow();
      }
    }, 20_000);
  },
);
