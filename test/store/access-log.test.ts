import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccessLog } from '../../src/modules/audit/access-log.ts';
import type { AccessLogInput } from '../../src/modules/audit/access-log.ts';
import {
  canonicalEntry,
  canonicalJson,
  entryHash,
  GENESIS_HASH,
  hashQuery,
  storedEntryHash,
} from '../../src/modules/audit/access-log-hash.ts';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { AccessLogUnavailableError, AccessLogWriter } from '../../src/modules/audit/access-log-writer.ts';
import type { AccessLogSink } from '../../src/modules/audit/access-log-writer.ts';
import { InvalidCursorError } from '../../src/platform/cursor-codec.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { pgliteVariant, storeVariants, TEST_DATABASE_URL } from '../support/stores.ts';

/** An entry for a township officer's lookup of one subject; override what a test is about. */
function accessEntry(overrides: Partial<AccessLogInput> = {}): AccessLogInput {
  return {
    at: new Date('2024-06-01T09:30:00.250+08:00'),
    durationMs: 42,
    callerSubject: 'officer-0101',
    issuer: 'https://idp.zj.gov.cn',
    authorityCode: '330381001-ZFD',
    roles: ['OFFICER'],
    purpose: '瑞综执立〔2024〕28号',
    operationName: 'Lifecycle',
    queryHash: hashQuery('query Lifecycle($uscc:USCC!){subject(uscc:$uscc){name}}', { uscc: '91330381MA2G2YEE23' }),
    subjects: ['91330381MA2G2YEE23'],
    conditionalFields: ['Subject.legalRepresentative'],
    notSharedFields: [],
    deniedFields: ['LegalRepresentative.idNumber'],
    outcome: 'PARTIAL',
    ...overrides,
  };
}

/** Entries told apart by their operation name (`op-1`, `op-2`, …), to check order afterwards. */
function numberedEntries(count: number, overrides: Partial<AccessLogInput> = {}): AccessLogInput[] {
  return Array.from({ length: count }, (_, i) => accessEntry({ operationName: `op-${i + 1}`, ...overrides }));
}

async function storedOrder(store: Store): Promise<{ seq: number; operationName: string | null }[]> {
  const rows = await store.prisma.accessLogEntry.findMany({
    orderBy: { seq: 'asc' },
    select: { seq: true, operationName: true },
  });
  return rows.map((row) => ({ seq: Number(row.seq), operationName: row.operationName }));
}

/** A chain as the gateway wrote it before hash version 2: each hash over canonicalEntry's fields. */
async function writeVersion1Entries(store: Store, count: number): Promise<void> {
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq += 1) {
    const fields = accessEntry({ operationName: `v1-${seq}` });
    const hash = entryHash(prevHash, seq, fields);
    const { clientAddress: _address, reason: _reason, ...columns } = fields;
    await store.prisma.accessLogEntry.create({
      data: {
        ...columns,
        roles: [...columns.roles],
        subjects: [...columns.subjects],
        conditionalFields: [...columns.conditionalFields],
        notSharedFields: [...columns.notSharedFields],
        deniedFields: [...columns.deniedFields],
        seq: BigInt(seq),
        prevHash,
        hash,
      },
    });
    prevHash = hash;
  }
}

const oneTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('the access log hash', () => {
  it('covers a canonical JSON of the entry with sorted keys, a UTC timestamp and seq as a string', () => {
    const fields = accessEntry({
      at: new Date('2024-06-01T01:30:00.250Z'),
      operationName: null,
      queryHash: 'ab',
      conditionalFields: [],
      outcome: 'OK',
    });
    const canonical =
      '{"at":"2024-06-01T01:30:00.250Z","authorityCode":"330381001-ZFD","callerSubject":"officer-0101","conditionalFields":[],' +
      '"deniedFields":["LegalRepresentative.idNumber"],"durationMs":42,"issuer":"https://idp.zj.gov.cn","notSharedFields":[],' +
      '"operationName":null,"outcome":"OK","purpose":"瑞综执立〔2024〕28号","queryHash":"ab","roles":["OFFICER"],"seq":"1",' +
      '"subjects":["91330381MA2G2YEE23"]}';
    expect(canonicalEntry(1, fields)).toBe(canonical);
    // Computed outside Node: printf '%s' "$GENESIS$CANONICAL" | sha256sum
    expect(entryHash(GENESIS_HASH, 1, fields)).toBe('ffa23a321f1d415e48714443ace289eda2ba72741c46993f3bb15ee05779a14f');
  });

  it('hashes version 2 over the canonical JSON of every stored column but the hash, whatever the columns are', () => {
    const row = {
      seq: 7n,
      at: new Date('2024-06-01T01:30:00.250Z'),
      roles: ['OFFICER'],
      purpose: null,
      prevHash: 'ab',
      hash: 'ignored',
      zeta: { b: 1, a: [2] },
    };
    expect(canonicalJson({ ...row, hash: undefined })).toBe(
      '{"at":"2024-06-01T01:30:00.250Z","hash":null,"prevHash":"ab","purpose":null,"roles":["OFFICER"],"seq":"7","zeta":{"a":[2],"b":1}}',
    );
    const { hash: _hash, ...covered } = row;
    // Computed outside Node: printf '%s' "$CANONICAL" | sha256sum
    expect(storedEntryHash(row)).toBe('6c2782c121331f71ee372d22ae159160cdbbce980aea06ebda6649db3e7c5b32');
    expect(canonicalJson(covered)).toBe(
      '{"at":"2024-06-01T01:30:00.250Z","prevHash":"ab","purpose":null,"roles":["OFFICER"],"seq":"7","zeta":{"a":[2],"b":1}}',
    );
    expect(storedEntryHash({ ...row, addedLater: 'x' })).not.toBe(storedEntryHash(row));
    expect(storedEntryHash({ ...row, hash: 'other' })).toBe(storedEntryHash(row));
  });

  it('gives the same query hash whatever the order of the variables’ keys, and a different one for other values', () => {
    const query = 'query Q($a:Int,$b:Int){x(a:$a,b:$b)}';
    expect(hashQuery(query, { a: 1, b: { d: 2, c: 3 } })).toBe(hashQuery(query, { b: { c: 3, d: 2 }, a: 1 }));
    expect(hashQuery(query, { a: 1 })).not.toBe(hashQuery(query, { a: 2 }));
    expect(hashQuery(query, undefined)).toBe(hashQuery(query, {}));
  });
});

describe('the access log writer', () => {
  /** A sink that records batches and fails the batch numbered `failOn` (1-based), if given. */
  function recordingSink(failOn?: number) {
    const batches: string[][] = [];
    const sink: AccessLogSink = {
      write: async (entries) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (batches.length + 1 === failOn) throw new Error('connection lost');
        batches.push(entries.map((entry) => entry.operationName ?? ''));
      },
      probe: async () => undefined,
    };
    return { sink, batches };
  }

  it('appends in call order, in batches no larger than asked', async () => {
    const { sink, batches } = recordingSink();
    const writer = new AccessLogWriter(sink, { maxBatch: 4 });
    await Promise.all(numberedEntries(10).map((entry) => writer.append(entry)));
    expect(batches.flat()).toEqual(oneTo(10).map((n) => `op-${n}`));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(4);
    expect(batches.length).toBeGreaterThan(1);
  });

  it('fails closed: the failed batch, everything queued behind it and every later append are rejected', async () => {
    const { sink, batches } = recordingSink(2);
    const writer = new AccessLogWriter(sink, { maxBatch: 2 });
    const results = await Promise.allSettled(numberedEntries(6).map((entry) => writer.append(entry)));
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    expect(writer.failed).toBeInstanceOf(AccessLogUnavailableError);
    expect(writer.failed?.cause).toEqual(new Error('connection lost'));
    await expect(writer.append(accessEntry())).rejects.toBeInstanceOf(AccessLogUnavailableError);
    await expect(writer.flush()).rejects.toBeInstanceOf(AccessLogUnavailableError);
    expect(batches).toEqual([['op-1', 'op-2']]);
  });

  it('recovers by itself once the log can be reached again, probing with a doubling, capped back-off', async () => {
    vi.useFakeTimers();
    try {
      let down = true;
      const probes: number[] = [];
      const written: string[] = [];
      const started = Date.now();
      const sink: AccessLogSink = {
        write: async (entries) => {
          if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
          written.push(...entries.map((entry) => entry.operationName ?? ''));
        },
        probe: async () => {
          probes.push(Date.now() - started);
          if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
      };
      const writer = new AccessLogWriter(sink, { initialRetryMs: 100, maxRetryMs: 400 });
      await expect(writer.append(accessEntry({ operationName: 'lost' }))).rejects.toBeInstanceOf(
        AccessLogUnavailableError,
      );
      await expect(writer.append(accessEntry({ operationName: 'refused' }))).rejects.toBeInstanceOf(
        AccessLogUnavailableError,
      );
      await expect(writer.readinessCheck()).rejects.toThrow(
        'the access log cannot be written (connect ECONNREFUSED 127.0.0.1:5432)',
      );
      await vi.advanceTimersByTimeAsync(1_500);
      // Probes after 100, then 200, 400, 400, 400 ms more: doubling, never more than 400 apart.
      expect(probes).toEqual([100, 300, 700, 1100, 1500]);
      expect(writer.retryAfterSeconds()).toBe(1);

      down = false;
      await vi.advanceTimersByTimeAsync(400);
      expect(writer.failed).toBeNull();
      await expect(writer.readinessCheck()).resolves.toBeUndefined();
      await writer.append(accessEntry({ operationName: 'after' }));
      expect(written).toEqual(['after']);
      await writer.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes: resolves once everything appended so far is written', async () => {
    const { sink, batches } = recordingSink();
    const writer = new AccessLogWriter(sink, { maxBatch: 3 });
    for (const entry of numberedEntries(7)) void writer.append(entry);
    await writer.flush();
    expect(batches.flat()).toHaveLength(7);
    expect(writer.failed).toBeNull();
  });
});

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the access log on ${variant.name}`, () => {
    let store: Store;
    let log: AccessLog;

    beforeAll(async () => {
      store = await variant.open();
      log = new AccessLog(store.prisma);
    });
    afterAll(() => variant.dispose());
    beforeEach(async () => {
      await store.prisma.accessLogEntry.deleteMany();
      // A fresh log each time: one that has appended remembers its head, and would rightly
      // chain onto it across the emptied table, leaving the gap for audit:verify to find.
      log = new AccessLog(store.prisma);
    });

    it('numbers entries from 1 and chains each to the one before', async () => {
      const first = await log.append(accessEntry());
      const second = await log.append(accessEntry({ outcome: 'OK' }));
      expect(first).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, at: '2024-06-01T09:30:00.250+08:00' });
      expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
      expect(await verifyChain(store.prisma)).toEqual({ ok: true, entries: 2, head: { seq: 2, hash: second.hash } });
    });

    it('reports an empty log as intact', async () => {
      expect(await verifyChain(store.prisma)).toEqual({ ok: true, entries: 0, head: null });
    });

    it('numbers 200 concurrent appends 1 to 200 with no gap and an intact chain', async () => {
      await Promise.all(numberedEntries(200).map((entry) => log.append(entry)));
      expect((await storedOrder(store)).map((row) => row.seq)).toEqual(oneTo(200));
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 200 });
    });

    it('stays one chain when two logs (as two gateway processes would) append in turn and at once', async () => {
      const other = new AccessLog(store.prisma);
      await log.append(accessEntry({ operationName: 'one-1' }));
      await other.append(accessEntry({ operationName: 'two-1' }));
      await log.append(accessEntry({ operationName: 'one-2' }));
      await Promise.all(
        oneTo(20).flatMap((n) => [log.append(accessEntry()), other.appendMany(numberedEntries((n % 2) + 1))]),
      );
      expect((await storedOrder(store)).slice(0, 3).map((row) => row.operationName)).toEqual([
        'one-1',
        'two-1',
        'one-2',
      ]);
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 3 + 20 + 30 });
    });

    it('keeps chaining onto the entry it wrote last, so deleting the newest entries leaves a gap audit:verify names', async () => {
      await log.appendMany(numberedEntries(5));
      await store.prisma.$executeRaw`DELETE FROM access_log WHERE seq >= 4`;
      await log.append(accessEntry());
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: false, firstBrokenSeq: 4 });
    });

    it('stores what PostgreSQL text cannot hold, and fractional durations, in a form that still verifies', async () => {
      const entry = await log.append(accessEntry({ operationName: 'a\u0000b', durationMs: 12.6 }));
      expect(entry).toMatchObject({ operationName: 'a\uFFFDb', durationMs: 13 });
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 1 });
    });

    it('gives each entry its own place in the chain even when the entry claims another', async () => {
      const claiming = { ...accessEntry(), seq: 99n, hashVersion: 1, prevHash: 'f'.repeat(64), hash: 'forged' };
      await log.append(accessEntry());
      await log.write([claiming, claiming]);
      const rows = await store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'asc' } });
      expect(rows.map((row) => [Number(row.seq), row.hashVersion])).toEqual([
        [1, 2],
        [2, 2],
        [3, 2],
      ]);
      expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 3 });
    });

    it('stores the same rows, in one verifiable chain, whether an append runs straight on the store or through Prisma', async () => {
      const executeStatement = vi.fn(store.executeStatement!);
      const straight = new AccessLog(store.prisma, { executeStatement });
      const awkward = { operationName: 'a\u0000b\ud800', durationMs: 12.6, conditionalGrants: { 'Subject.x': 'g-1' } };
      await straight.append(accessEntry(awkward));
      await straight.appendMany([accessEntry(awkward), accessEntry({ roles: [], traceId: 'f'.repeat(32) })]);
      const throughPrisma = new AccessLog(store.prisma);
      await throughPrisma.append(accessEntry(awkward));
      await straight.append(accessEntry(awkward));
      // After the first append (the careful way, through Prisma), every one ran its statement straight.
      expect(executeStatement).toHaveBeenCalledTimes(2);
      const rows = await store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'asc' } });
      const content = ({ seq: _seq, prevHash: _prevHash, hash: _hash, ...rest }: (typeof rows)[number]) => rest;
      expect(content(rows[4]!)).toEqual(content(rows[3]!));
      expect(content(rows[1]!)).toEqual(content(rows[0]!));
      expect(rows[0]).toMatchObject({ operationName: 'a\uFFFDb\uFFFD', durationMs: 13 });
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 5 });
    });

    it('stores text exactly as given where JSON escapes it or SQL quotes it, alone and in batches, the careful way and straight', async () => {
      const texts = [
        '"quoted" and \\back\\slash\\',
        'line\nbreak\ttab\rreturn',
        '\u0001\u001f\u007f\u2028\u2029',
        "it's $1 ::jsonb",
        '{"looks":["like","json"]}',
        'null',
        '',
      ];
      const straight = new AccessLog(store.prisma, {
        executeStatement: store.executeStatement,
        oneConnection: store.kind === 'pglite',
      });
      const entryOf = (text: string) =>
        accessEntry({
          callerSubject: text,
          purpose: text,
          operationName: text,
          roles: [text, 'OFFICER'],
          subjects: [text],
          deniedFields: [text, text],
          conditionalGrants: { [text]: text },
          clientAddress: text,
          reason: text,
        });
      // A batch the careful way (Prisma, in a transaction), then a lone entry and a batch straight:
      // a lone entry goes as typed parameters, a batch as one JSON parameter.
      await straight.appendMany(texts.slice(0, 2).map(entryOf));
      await straight.append(entryOf(texts[2]!));
      await straight.appendMany(texts.slice(3).map(entryOf));
      const rows = await store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'asc' } });
      expect(rows.map((row) => row.operationName)).toEqual(texts);
      rows.forEach((row, i) => {
        const text = texts[i]!;
        expect(row).toMatchObject({
          callerSubject: text,
          purpose: text,
          roles: [text, 'OFFICER'],
          subjects: [text],
          deniedFields: [text, text],
          conditionalGrants: { [text]: text },
          clientAddress: text,
          reason: text,
          notSharedFields: [],
          durationMs: 42,
          at: new Date('2024-06-01T09:30:00.250+08:00'),
          hashVersion: 2,
        });
      });
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: texts.length });
    });

    it('keeps the writer’s call order in seq order', async () => {
      const writer = new AccessLogWriter(log, { maxBatch: 7 });
      await Promise.all(numberedEntries(50).map((entry) => writer.append(entry)));
      expect(await storedOrder(store)).toEqual(oneTo(50).map((n) => ({ seq: n, operationName: `op-${n}` })));
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 50 });
    });

    it('names the entry whose content was edited', async () => {
      await log.appendMany(numberedEntries(10));
      await store.prisma.$executeRaw`UPDATE access_log SET purpose = '另一案号' WHERE seq = 6`;
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        firstBrokenSeq: 6,
        broken: [{ seq: 6, kind: 'edited', reason: "entry 6's content does not match its hash (edited)" }],
      });
    });

    it('names an entry whose array was edited, even by reordering', async () => {
      await log.appendMany(numberedEntries(5, { subjects: ['91330381MA2G2YEE23', '91330381MA2AAAAA1X'] }));
      await store.prisma
        .$executeRaw`UPDATE access_log SET subjects = ARRAY['91330381MA2AAAAA1X', '91330381MA2G2YEE23'] WHERE seq = 3`;
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        firstBrokenSeq: 3,
        broken: [{ seq: 3, kind: 'edited' }],
      });
    });

    it('names the gap a deleted entry leaves', async () => {
      await log.appendMany(numberedEntries(10));
      await store.prisma.$executeRaw`DELETE FROM access_log WHERE seq = 7`;
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        firstBrokenSeq: 7,
        broken: [{ seq: 7, kind: 'deleted', reason: 'entry 7 is missing after entry 6: the next entry is 8' }],
      });
    });

    it('detects the newest entries deleted, given the head an earlier run anchored', async () => {
      await log.appendMany(numberedEntries(6));
      const before = await verifyChain(store.prisma);
      if (!before.ok || !before.head) throw new Error('expected an intact chain with a head');
      await store.prisma.$executeRaw`DELETE FROM access_log WHERE seq >= 5`;
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 4 });
      expect(await verifyChain(store.prisma, before.head)).toMatchObject({
        ok: false,
        firstBrokenSeq: 5,
        broken: [
          {
            seq: 5,
            kind: 'deleted',
            reason: 'the log ends at entry 4, but entry 6 was anchored (entries 5–6 or more deleted)',
          },
        ],
      });
    });

    it('detects a chain rebuilt past its anchor', async () => {
      await log.appendMany(numberedEntries(3));
      expect(await verifyChain(store.prisma, { seq: 2, hash: 'a'.repeat(64) })).toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
      });
    });

    it('names the first entry when it was deleted', async () => {
      await log.appendMany(numberedEntries(3));
      await store.prisma.$executeRaw`DELETE FROM access_log WHERE seq = 1`;
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: false, firstBrokenSeq: 1 });
    });

    it('names an entry with a forged prevHash', async () => {
      await log.appendMany(numberedEntries(5));
      await store.prisma.$executeRaw`UPDATE access_log SET prev_hash = ${'f'.repeat(64)} WHERE seq = 3`;
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        firstBrokenSeq: 3,
        broken: [{ seq: 3, kind: 'forged', reason: expect.stringContaining('prevHash') }],
      });
    });

    it('names the entry after one edited and re-hashed by someone who knows the hash', async () => {
      await log.appendMany(numberedEntries(5));
      const [row] = await store.prisma.accessLogEntry.findMany({ where: { seq: 2n } });
      if (!row) throw new Error('entry 2 missing');
      const forged = { ...row, purpose: 'forged' };
      await store.prisma.accessLogEntry.update({
        where: { seq: 2n },
        data: { purpose: 'forged', hash: storedEntryHash(forged) },
      });
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        firstBrokenSeq: 3,
        broken: [{ seq: 3, kind: 'forged', reason: expect.stringContaining('entry 2 was rewritten') }],
      });
    });

    it('names entries swapped in place', async () => {
      await log.appendMany(numberedEntries(4));
      // Through numbers above the head: the positive-seq check forbids the usual swap through negatives.
      await store.prisma.$executeRaw`UPDATE access_log SET seq = seq + 100 WHERE seq IN (2, 3)`;
      await store.prisma.$executeRaw`UPDATE access_log SET seq = 2 WHERE seq = 103`;
      await store.prisma.$executeRaw`UPDATE access_log SET seq = 3 WHERE seq = 102`;
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        firstBrokenSeq: 2,
        broken: [
          { seq: 2, kind: 'reordered', reason: 'entry 2 was written as entry 3 (moved)' },
          { seq: 3, kind: 'reordered', reason: 'entry 3 was written as entry 2 (moved)' },
        ],
      });
    });

    it('reports every broken entry with its kind, not only the first', async () => {
      await log.appendMany(numberedEntries(20));
      await store.prisma.$executeRaw`UPDATE access_log SET operation_name = 'edited' WHERE seq = 3`;
      await store.prisma.$executeRaw`DELETE FROM access_log WHERE seq = 6`;
      await store.prisma.$executeRaw`UPDATE access_log SET seq = seq + 100 WHERE seq IN (9, 10)`;
      await store.prisma.$executeRaw`UPDATE access_log SET seq = 9 WHERE seq = 110`;
      await store.prisma.$executeRaw`UPDATE access_log SET seq = 10 WHERE seq = 109`;
      await store.prisma.$executeRaw`UPDATE access_log SET prev_hash = ${'e'.repeat(64)} WHERE seq = 13`;
      const [row] = await store.prisma.accessLogEntry.findMany({ where: { seq: 17n } });
      if (!row) throw new Error('entry 17 missing');
      await store.prisma.accessLogEntry.update({
        where: { seq: 17n },
        data: { purpose: 'rewritten', hash: storedEntryHash({ ...row, purpose: 'rewritten' }) },
      });

      const verdict = await verifyChain(store.prisma);
      expect(verdict.ok).toBe(false);
      if (verdict.ok) return;
      expect(verdict.broken.map(({ seq, kind }) => ({ seq, kind }))).toEqual([
        { seq: 3, kind: 'edited' },
        { seq: 6, kind: 'deleted' },
        { seq: 9, kind: 'reordered' },
        { seq: 10, kind: 'reordered' },
        { seq: 13, kind: 'forged' },
        { seq: 18, kind: 'forged' },
      ]);
      expect(verdict.entries).toBe(19);
    });

    it('still verifies entries written with hash version 1, and the version-2 entries chained onto them', async () => {
      await writeVersion1Entries(store, 3);
      await log.appendMany(numberedEntries(3));
      const stored = await store.prisma.accessLogEntry.findMany({
        orderBy: { seq: 'asc' },
        select: { seq: true, hashVersion: true },
      });
      expect(stored.map((row) => row.hashVersion)).toEqual([1, 1, 1, 2, 2, 2]);
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 6 });
    });

    it('names a version-1 entry edited, even in a column version 1 does not cover, and one written after version 2 as forged', async () => {
      await writeVersion1Entries(store, 3);
      await log.appendMany(numberedEntries(2));
      await store.prisma.$executeRaw`UPDATE access_log SET client_address = '10.0.0.9' WHERE seq = 2`;
      await store.prisma.$executeRaw`UPDATE access_log SET hash_version = 1 WHERE seq = 5`;
      expect(await verifyChain(store.prisma)).toMatchObject({
        ok: false,
        broken: [
          { seq: 2, kind: 'edited' },
          { seq: 5, kind: 'forged', reason: expect.stringContaining('hash version 1 after version-2 entries') },
        ],
      });
    });

    it('stores awkward strings in every field well-formed and bounded, and the chain verifies', async () => {
      const awkward = [
        'ABC\ud800DEF',
        '\udfffX',
        'a\u0000b',
        '\u202Eevil\u202C',
        '𠀋𡈽😀',
        '%E0%A4%A',
        'x'.repeat(5000),
        '𠀋'.repeat(600),
      ];
      const entries = awkward.map((text) =>
        accessEntry({
          callerSubject: text,
          issuer: text,
          authorityCode: text,
          roles: [text],
          purpose: text,
          operationName: text,
          queryHash: text,
          subjects: [text],
          conditionalFields: [text],
          notSharedFields: [text],
          deniedFields: [text],
          clientAddress: text,
          reason: text,
        }),
      );
      const records = await log.appendMany(entries);
      for (const record of records) {
        for (const value of [
          record.callerSubject,
          record.purpose ?? '',
          ...record.subjects,
          record.clientAddress ?? '',
        ]) {
          expect(value).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
          expect(value).not.toContain('\u0000');
          expect(Array.from(value).length).toBeLessThanOrEqual(500);
        }
      }
      expect(records[0]?.operationName).toBe('ABC\uFFFDDEF');
      expect(records[4]?.operationName).toBe('𠀋𡈽😀');
      expect(records[6]?.operationName).toBe(`${'x'.repeat(499)}…`);
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: awkward.length });
    });

    it('probes by appending an entry and rolling it back: fails while inserts are refused, leaves nothing behind', async () => {
      await log.appendMany(numberedEntries(2));
      await store.prisma.$executeRawUnsafe(
        'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
      );
      try {
        await expect(log.probe()).rejects.toThrow();
      } finally {
        await store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP CONSTRAINT refuse_all');
      }
      await expect(log.probe()).resolves.toBeUndefined();
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 2 });
      await log.append(accessEntry());
      expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 3 });
    });

    it('refuses loudly, inserting nothing, when the table has a column the entry does not carry', async () => {
      await store.prisma.$executeRawUnsafe('ALTER TABLE access_log ADD COLUMN grant_of_field text');
      try {
        await expect(log.append(accessEntry())).rejects.toThrow(
          'access_log column grant_of_field has no value: the entry must carry grantOfField',
        );
        expect(await store.prisma.accessLogEntry.count()).toBe(0);
      } finally {
        await store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP COLUMN grant_of_field');
      }
    });

    it('pages newest first by seq, filtered by subject, authority and time', async () => {
      const other = '91330381MA2AAAAA1X';
      await log.appendMany([
        ...numberedEntries(5),
        accessEntry({ operationName: 'other-subject', subjects: [other] }),
        accessEntry({ operationName: 'other-authority', authorityCode: '330381-FXB' }),
        accessEntry({ operationName: 'later', at: new Date('2024-07-01T00:00:00+08:00') }),
      ]);
      const first = await log.query(
        { subject: '91330381MA2G2YEE23', authorityCode: '330381001-ZFD', to: new Date('2024-06-02T00:00:00+08:00') },
        { first: 3 },
      );
      expect(first.items.map((item) => item.operationName)).toEqual(['op-5', 'op-4', 'op-3']);
      expect(first.hasNextPage).toBe(true);
      const second = await log.query(
        { subject: '91330381MA2G2YEE23', authorityCode: '330381001-ZFD', to: new Date('2024-06-02T00:00:00+08:00') },
        { first: 3, after: first.endCursor ?? undefined },
      );
      expect(second.items.map((item) => item.operationName)).toEqual(['op-2', 'op-1']);
      expect(second.hasNextPage).toBe(false);
      expect((await log.query({ subject: other }, { first: 10 })).items.map((item) => item.operationName)).toEqual([
        'other-subject',
      ]);
      expect(
        (await log.query({ from: new Date('2024-06-15T00:00:00+08:00') }, { first: 10 })).items.map((item) => item.seq),
      ).toEqual([8]);
      await expect(log.query({}, { first: 1, after: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}

describe('the access log on PGlite, one connection in this process', () => {
  const variant = pgliteVariant();
  afterAll(() => variant.dispose());

  it('appends without the lock, and two logs appending at once still make one chain', async () => {
    const store = await variant.open();
    const executeStatement = vi.fn(store.executeStatement!);
    const [one, two] = [0, 1].map(() => new AccessLog(store.prisma, { executeStatement, oneConnection: true }));
    await one!.append(accessEntry({ operationName: 'one-1' }));
    await two!.append(accessEntry({ operationName: 'two-1' }));
    await Promise.all(
      oneTo(20).flatMap((n) => [one!.append(accessEntry()), two!.appendMany(numberedEntries((n % 2) + 1))]),
    );
    const statements = executeStatement.mock.calls.map(([sql]) => sql);
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((sql) => sql.includes('advisory'))).toEqual([]);
    expect((await storedOrder(store)).map((row) => row.seq)).toEqual(oneTo(2 + 20 + 30));
    expect(await verifyChain(store.prisma)).toMatchObject({ ok: true, entries: 2 + 20 + 30 });
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('the access log shared by two gateway processes on PostgreSQL', () => {
  const [, variant] = storeVariants();
  afterAll(() => variant?.dispose());

  it('stays one chain when both append at once', async () => {
    if (!variant) throw new Error('no PostgreSQL variant');
    const [one, two] = [await variant.open(), await variant.open()];
    const [logOne, logTwo] = [new AccessLog(one.prisma), new AccessLog(two.prisma)];
    await Promise.all(
      oneTo(100).flatMap((n) => [
        logOne.append(accessEntry({ operationName: `one-${n}` })),
        logTwo.append(accessEntry({ operationName: `two-${n}` })),
      ]),
    );
    const order = await storedOrder(one);
    expect(order.map((row) => row.seq)).toEqual(oneTo(200));
    // Interleaved, not one process's entries after the other's.
    expect(new Set(order.slice(0, 100).map((row) => row.operationName?.slice(0, 3)))).toEqual(new Set(['one', 'two']));
    expect(await verifyChain(two.prisma)).toMatchObject({ ok: true, entries: 200 });
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)('npm run audit:verify', () => {
  const [, variant] = storeVariants();
  afterAll(() => variant?.dispose());

  async function auditVerify(databaseUrl: string, ...args: string[]): Promise<{ code: number; stdout: string }> {
    const run = promisify(execFile);
    try {
      const { stdout } = await run('npx', ['tsx', 'scripts/audit-verify.ts', ...args], {
        env: { ...process.env, DATABASE_URL: databaseUrl },
      });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '' };
    }
  }

  it('exits 0 on an intact log and 1 naming the entry after tampering', { timeout: 60_000 }, async () => {
    if (!variant || !TEST_DATABASE_URL) throw new Error('no PostgreSQL variant');
    const store = await variant.open();
    await new AccessLog(store.prisma).appendMany(numberedEntries(12));
    const [database] = await store.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
    const databaseUrl = new URL(TEST_DATABASE_URL);
    databaseUrl.pathname = `/${database?.name ?? ''}`;

    const intact = await auditVerify(databaseUrl.toString());
    expect(intact).toMatchObject({ code: 0, stdout: expect.stringContaining('intact') });
    expect(intact.stdout).toContain('12 entries');
    const head = /head (\d+:[0-9a-f]{64})/.exec(intact.stdout)?.[1];
    expect(head).toMatch(/^12:/);

    await store.prisma.$executeRaw`DELETE FROM access_log WHERE seq >= 11`;
    const truncated = await auditVerify(databaseUrl.toString(), '--anchor', head!);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toContain('first broken entry seq 11');

    await store.prisma.$executeRaw`UPDATE access_log SET denied_fields = '{}' WHERE seq = 9`;
    const broken = await auditVerify(databaseUrl.toString());
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('first broken entry seq 9');
  });
});
