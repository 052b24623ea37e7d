import { once } from 'node:events';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/platform/store/open-store.ts';
import { DEFAULT_POSTGRES_TIMEOUTS } from '../../src/platform/store/store-timeouts.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import { spawnStart } from '../support/start-script.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const WAIT_LINE = /^waiting for PostgreSQL \(.+\); trying again in \d+ ms$/;

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
      const waits: string[] = [];
      const store = await openStore({
        databaseUrl: throughProxy,
        timeouts: { ...DEFAULT_POSTGRES_TIMEOUTS, connectMs: 1000, startWaitMs: 20_000 },
        onStartWait: (said) => waits.push(said),
      });
      try {
        expect(waits.length, 'each wait is told').toBeGreaterThan(0);
        for (const said of waits) expect(said).toMatch(WAIT_LINE);
        const [row] = await store.prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM _prisma_migrations`;
        expect(Number(row!.n)).toBeGreaterThan(0);
      } finally {
        await store.close();
      }
    }, 40_000);

    it('waits while connections are refused, then opens', async () => {
      await proxy.refuse();
      setTimeout(() => void proxy.allow(), 1500);
      const waits: { said: string; retryInMs: number }[] = [];
      const store = await openStore({
        databaseUrl: throughProxy,
        timeouts: { ...DEFAULT_POSTGRES_TIMEOUTS, connectMs: 1000, startWaitMs: 20_000 },
        onStartWait: (said, retryInMs) => waits.push({ said, retryInMs }),
      });
      await store.close();
      expect(waits.length, 'each wait is told').toBeGreaterThan(0);
      for (const { said, retryInMs } of waits) {
        expect(said).toMatch(/^waiting for PostgreSQL \(.*ECONNREFUSED.*\); trying again in \d+ ms$/);
        expect(said).toContain(`trying again in ${retryInMs} ms`);
      }
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

/** A port on this machine that nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * The waits are the gateway's to tell, as JSON lines through its logger like everything else it
 * says, so a log collector sees why a start is slow; they used to go to stderr beside the log.
 */
describe('starting the gateway process while its PostgreSQL refuses connections', () => {
  it('logs each wait as a warn line on its log, then fails naming the wait and its bound', async () => {
    const child = spawnStart({
      PORT: '0',
      DATA_DIR: 'memory://',
      LOG_LEVEL: 'info',
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${await closedPort()}/gateway`,
      DATABASE_START_WAIT_MS: '1500',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const overrun = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      const [code] = (await once(child, 'close')) as [number | null];
      expect(code, stderr).toBe(1);
      const waits = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { level: string; msg: string; retryInMs?: number })
        .filter((entry) => entry.msg.startsWith('waiting for PostgreSQL'));
      expect(waits.length, stdout).toBeGreaterThan(0);
      for (const wait of waits) {
        expect(wait.level).toBe('warn');
        expect(wait.msg).toMatch(/^waiting for PostgreSQL \(.*ECONNREFUSED.*\); trying again in \d+ ms$/);
        expect(wait.msg).toContain(`trying again in ${wait.retryInMs} ms`);
      }
      expect(stderr).not.toContain('waiting for PostgreSQL');
      expect(stderr).toMatch(
        /^gateway did not start: .*ECONNREFUSED.*still so after waiting 1500 ms \(DATABASE_START_WAIT_MS\)/,
      );
    } finally {
      clearTimeout(overrun);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
