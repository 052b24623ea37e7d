import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { AccessLog } from '../../src/modules/audit/access-log.ts';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import {
  AccessLogUnavailableError,
  AccessLogWriter,
  type AccessLogSink,
} from '../../src/modules/audit/access-log-writer.ts';
import type { AccessLogInput } from '../../src/modules/audit/access-log.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/** Entries told apart by operation name; the writer never looks inside them. */
const entry = (n: number) => ({ operationName: `op-${n}` }) as AccessLogInput;

/** Appends `count` entries, each from an I/O callback of its own in one turn of the loop, as requests read from their sockets do. */
function appendFromSeparateCallbacks(writer: AccessLogWriter, count: number): Promise<PromiseSettledResult<void>[]> {
  return Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      new Promise<void>((resolve) => setImmediate(resolve)).then(() => writer.append(entry(i + 1))),
    ),
  );
}

function recordingSink(fail = false) {
  const batches: string[][] = [];
  const sink: AccessLogSink = {
    write: async (entries) => {
      batches.push(entries.map((e) => e.operationName ?? ''));
      if (fail) throw new Error('disk full');
    },
    probe: async () => {
      throw new Error('disk full');
    },
  };
  return { sink, batches };
}

describe('the access log writer gathering the requests that arrived in one turn of the event loop', () => {
  it('writes entries appended from separate I/O callbacks as one batch, in call order; without gathering, one batch each', async () => {
    const gathering = recordingSink();
    await appendFromSeparateCallbacks(new AccessLogWriter(gathering.sink, { gatherArrivedRequests: true }), 10);
    expect(gathering.batches).toEqual([Array.from({ length: 10 }, (_, i) => `op-${i + 1}`)]);

    const alone = recordingSink();
    await appendFromSeparateCallbacks(new AccessLogWriter(alone.sink), 10);
    expect(alone.batches).toHaveLength(10);
  });

  it('holds a batch for an entry announced and still to come, and writes it with that entry once it comes', async () => {
    const { sink, batches } = recordingSink();
    const writer = new AccessLogWriter(sink, { gatherArrivedRequests: true, gatherMs: 60_000 });
    const secondArrived = writer.expect();
    const first = writer.append(entry(1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batches).toEqual([]);
    // As the access-log plugin does: the request is noted logged, then appends, in one turn.
    secondArrived();
    await Promise.all([first, writer.append(entry(2))]);
    expect(batches).toEqual([['op-1', 'op-2']]);
  });

  it('writes at once when no entry is still to come: announced ones that came, or whose request went away', async () => {
    const { sink, batches } = recordingSink();
    const writer = new AccessLogWriter(sink, { gatherArrivedRequests: true, gatherMs: 60_000 });
    await writer.append(entry(1));
    const goneWithoutEntry = writer.expect();
    goneWithoutEntry();
    // Settling twice (the request noted logged, then its response closing) counts once.
    goneWithoutEntry();
    const stillToCome = writer.expect();
    stillToCome();
    await writer.append(entry(2));
    expect(batches).toEqual([['op-1'], ['op-2']]);
  });

  it('waits for an announced entry no longer than gatherMs', async () => {
    const { sink, batches } = recordingSink();
    const writer = new AccessLogWriter(sink, { gatherArrivedRequests: true, gatherMs: 30 });
    writer.expect();
    const started = performance.now();
    await writer.append(entry(1));
    const waited = performance.now() - started;
    expect(waited).toBeGreaterThanOrEqual(25);
    expect(waited).toBeLessThan(1_000);
    expect(batches).toEqual([['op-1']]);
  });

  it('stops waiting for announced entries when it is closed, writing what it holds', async () => {
    const { sink, batches } = recordingSink();
    const writer = new AccessLogWriter(sink, { gatherArrivedRequests: true, gatherMs: 60_000 });
    writer.expect();
    const held = writer.append(entry(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writer.close();
    await held;
    expect(batches).toEqual([['op-1']]);
  });

  it('rejects every entry waiting on a batch that fails, and every later one', async () => {
    const { sink, batches } = recordingSink(true);
    const writer = new AccessLogWriter(sink, { gatherArrivedRequests: true, initialRetryMs: 60_000 });
    const results = await appendFromSeparateCallbacks(writer, 12);
    expect(batches).toHaveLength(1);
    for (const result of results) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(AccessLogUnavailableError);
    }
    await expect(writer.append(entry(13))).rejects.toBeInstanceOf(AccessLogUnavailableError);
    await writer.close();
  });
});

describe('the gateway committing concurrent requests’ entries together', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true });
  });
  afterAll(() => gw?.close());
  afterEach(() => vi.restoreAllMocks());

  const MATTER = '瑞综执立〔2026〕12号';
  /** No agency is called: the request's only I/O is its access-log entry. */
  const operation = (n: number) => `query Check${n}($code: String!) { checkUscc(code: $code) { valid } }`;

  it('answers 40 concurrent requests on open connections with fewer INSERTs than requests, one entry each, the chain intact', async () => {
    const headers = await gw.as('county-enforcement', MATTER);
    const code = gw.world.enterprises[0]!.uscc;
    const round = (first: number) =>
      Promise.all(Array.from({ length: 40 }, (_, i) => gw.post(operation(first + i), { code }, headers)));
    // The first round opens the client's 40 connections (one by one, each in a turn of its own).
    expect((await round(1)).map((r) => r.status)).toEqual(Array(40).fill(200));
    const write = vi.spyOn(AccessLog.prototype, 'write');
    expect((await round(41)).map((r) => r.status)).toEqual(Array(40).fill(200));
    const batchSizes = write.mock.calls.map(([entries]) => entries.length);
    expect(batchSizes.reduce((a, b) => a + b, 0)).toBe(40);
    expect(batchSizes.length).toBeLessThanOrEqual(20);
    const stored = await gw.gateway.store.prisma.accessLogEntry.findMany({ select: { operationName: true } });
    expect(stored.map((row) => row.operationName).sort()).toEqual(
      Array.from({ length: 80 }, (_, i) => `Check${i + 1}`).sort(),
    );
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true, entries: 80 });
  });

  it('answers every request waiting on a batch that cannot be written 503 with Retry-After, then recovers', async () => {
    const headers = await gw.as('county-enforcement', MATTER);
    const code = gw.world.enterprises[0]!.uscc;
    const before = await gw.gateway.store.prisma.accessLogEntry.count();
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_batch CHECK (seq < 0) NOT VALID',
    );
    const write = vi.spyOn(AccessLog.prototype, 'write');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => gw.post(operation(100 + i), { code }, headers)),
    );
    // Batches, not one insert per request, and the failure reached every request of each.
    expect(write.mock.calls.length).toBeLessThan(20);
    for (const response of responses) {
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body.data).toBeNull();
      expect(response.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_LOG_UNAVAILABLE');
    }
    await gw.gateway.store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP CONSTRAINT refuse_batch');
    await vi.waitFor(async () => expect((await fetch(`${gw.url}/readyz`)).status).toBe(200), {
      timeout: 10_000,
      interval: 100,
    });
    expect((await gw.post(operation(200), { code }, headers)).status).toBe(200);
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true, entries: before + 1 });
  });
});
