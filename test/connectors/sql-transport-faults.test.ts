import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SqlRecordTransport } from '../../src/connectors/index.ts';
import { UpstreamError } from '../../src/platform/errors.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { freshExchangeDb, TEST_MARIADB_URL, type ExchangeDb } from '../support/exchange-db.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * The 前置库 transport under the faults an outside check injects between the gateway and
 * MariaDB: every connection cut mid-query, new ones refused, a stalled server, connections the
 * server ends right after the handshake, and connections `KILL`ed on the server. Each must end
 * as a named upstream error (never an uncaught 'error' event from a mysql2 connection, which
 * would end the process), heal without a new transport, and leave the change feed readable from
 * the last cursor with no record lost or read twice.
 */

const ROWS = 60;
const HALF_OPEN_MS = 300;

/** Every `process` error the run saw; a mysql2 connection's unheard 'error' event lands here. */
const uncaught: unknown[] = [];
const onUncaught = (failure: unknown) => uncaught.push(failure);

/**
 * A proxy that, while `cutting`, ends each new connection right after the server's second
 * answer reached the client: the greeting and the login's OK, so the client holds a connection
 * it believes ready and its first statement meets a closed socket.
 */
async function handshakeCutter(target: { host: string; port: number }) {
  const state = { cutting: true };
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    let answers = 0;
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      client.write(chunk);
      answers += 1;
      if (state.cutting && answers === 2) {
        client.destroy();
        upstream.destroy();
      }
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    state,
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of open) socket.destroy();
      }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.runIf(TEST_MARIADB_URL !== undefined)('the 前置库 transport under injected faults', () => {
  let db: ExchangeDb;
  let proxy: TcpProxy;
  const transports: SqlRecordTransport[] = [];

  function transportVia(port: number): SqlRecordTransport {
    const transport = new SqlRecordTransport({
      system: 'credit',
      url: db.urlVia('127.0.0.1', port),
      metrics: createMetrics(),
      timeoutMs: 500,
      breaker: { threshold: 5, halfOpenAfterMs: HALF_OPEN_MS },
      resources: {
        item: { table: 'feed_item', idColumn: 'code', updatedColumn: 'written_at', fields: { code: 'code' } },
      },
    });
    transports.push(transport);
    return transport;
  }

  /** Looks one row up until it answers (the breaker half-opens after HALF_OPEN_MS), or fails after 10 s. */
  async function healed(transport: SqlRecordTransport): Promise<void> {
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        expect(await transport.fetchBy('item', 'code', ['C001'])).toHaveLength(1);
        return;
      } catch (failure) {
        if (Date.now() > until) throw failure;
        await sleep(100);
      }
    }
  }

  /** The error a failed call ended with, checked to be the client-facing kind naming credit. */
  async function failureOf(call: Promise<unknown>): Promise<UpstreamError> {
    const failure = await call.then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).extensions).toMatchObject({ system: 'credit' });
    return failure as UpstreamError;
  }

  beforeAll(async () => {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    db = await freshExchangeDb();
    await db.query(
      `CREATE TABLE feed_item (code VARCHAR(32) COLLATE utf8mb4_bin PRIMARY KEY,
        written_at DATETIME(3) NOT NULL, KEY feed (written_at, code))`,
    );
    await db.query('INSERT INTO feed_item (code, written_at) VALUES ?', [
      Array.from({ length: ROWS }, (_, i) => [
        `C${String(i).padStart(3, '0')}`,
        `2024-03-01 09:00:${String(i % 60).padStart(2, '0')}.000`,
      ]),
    ]);
    proxy = await startTcpProxy({ host: db.host, port: db.port });
  });
  afterEach(() => {
    expect(uncaught).toEqual([]);
  });
  afterAll(async () => {
    for (const transport of transports) await transport.close().catch(() => undefined);
    await proxy?.close();
    await db?.drop();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  });

  it('cuts every connection mid-query: the query fails as credit unavailable, the next one is served', async () => {
    const transport = transportVia(proxy.port);
    await healed(transport);
    const slow = transport['pool'].execute('SELECT SLEEP(1)').then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    await sleep(150);
    await proxy.refuse();
    await proxy.allow();
    expect(await slow).toBe('PROTOCOL_CONNECTION_LOST');
    await healed(transport);
  });

  it('refuses new connections for 10 s: every call fails fast and named, then heals by itself', async () => {
    const transport = transportVia(proxy.port);
    await healed(transport);
    await proxy.refuse();
    const until = Date.now() + 10_000;
    const codes = new Set<string>();
    while (Date.now() < until) {
      const started = Date.now();
      const failure = await failureOf(transport.fetchBy('item', 'code', ['C001']));
      codes.add(String(failure.extensions['code']));
      // Well under the deadline: a refusal is known at once, so no call waits it out.
      expect(Date.now() - started).toBeLessThan(3000);
      await sleep(250);
    }
    expect([...codes]).toEqual(['UPSTREAM_UNAVAILABLE']);
    await proxy.allow();
    await healed(transport);
  }, 30_000);

  it('stalls (accepts, never answers): calls time out, the hung connections never come back, and it heals', async () => {
    const transport = transportVia(proxy.port);
    await healed(transport);
    proxy.hang();
    const failure = await failureOf(transport.fetchBy('item', 'code', ['C001']));
    expect(['UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE']).toContain(failure.extensions['code']);
    await proxy.allow();
    await healed(transport);
  }, 30_000);

  it('has each new connection ended right after its handshake: named failures, no crash, heals once they stop', async () => {
    const cutter = await handshakeCutter({ host: db.host, port: db.port });
    try {
      const transport = transportVia(cutter.port);
      const started = Date.now();
      const failures = await Promise.all(
        Array.from({ length: 6 }, () => failureOf(transport.fetchBy('item', 'code', ['C001']))),
      );
      expect(new Set(failures.map((f) => f.extensions['code']))).toEqual(new Set(['UPSTREAM_UNAVAILABLE']));
      expect(Date.now() - started).toBeLessThan(5000);
      cutter.state.cutting = false;
      await healed(transport);
    } finally {
      await cutter.close();
    }
  }, 30_000);

  it('has its idle and busy connections KILLed on the server: no crash, the next calls are served', async () => {
    const transport = transportVia(proxy.port);
    await Promise.all(Array.from({ length: 4 }, () => transport.fetchBy('item', 'code', ['C001'])));
    const busy = transport['pool'].execute('SELECT SLEEP(2)').then(
      () => 'answered',
      (error: { code?: string }) => error.code,
    );
    await sleep(200);
    const processes = (await db.query(
      'SELECT ID FROM information_schema.PROCESSLIST WHERE DB = DATABASE() AND ID <> CONNECTION_ID()',
    )) as Array<{ ID: number }>;
    expect(processes.length).toBeGreaterThan(1);
    for (const { ID } of processes) await db.query(`KILL ${Number(ID)}`);
    expect(await busy).not.toBe('answered');
    await sleep(200);
    await healed(transport);
    expect(await transport.fetchBy('item', 'code', ['C001', 'C002'])).toHaveLength(2);
  });

  it('reads the change feed across cuts and refusals from its last cursor with no record lost or repeated', async () => {
    const transport = transportVia(proxy.port);
    const read: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    for (;;) {
      // Every other page meets a fault first: the failed read hands back nothing, the cursor stays.
      if (pages % 2 === 1) {
        if (pages % 4 === 1) await proxy.refuse();
        else proxy.hang();
        await failureOf(transport.changes('item', cursor, 7));
        await proxy.allow();
        await healed(transport);
      }
      const page = await transport.changes('item', cursor, 7);
      read.push(...page.items.map((item) => String(item['code'])));
      cursor = page.nextCursor;
      pages += 1;
      if (!page.hasMore) break;
    }
    expect(read).toHaveLength(ROWS);
    expect(new Set(read).size).toBe(ROWS);
  }, 60_000);
});
