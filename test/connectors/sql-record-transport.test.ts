import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRecordTransport } from '../../src/connectors/index.ts';
import type { SqlResourceTable } from '../../src/connectors/transport/sql-resources.ts';
import { UpstreamBadResponseError } from '../../src/platform/errors.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { freshExchangeDb, TEST_MARIADB_URL, type ExchangeDb } from '../support/exchange-db.ts';

/**
 * The 前置库 transport on a table of the test's own: the keyset change feed where many rows
 * share one update time (an agency's batch write) across page boundaries, nested fields from
 * flat columns, and names and cursors it must refuse.
 */

const TABLE: SqlResourceTable = {
  table: 'feed_item',
  idColumn: 'code',
  updatedColumn: 'written_at',
  fields: { code: 'code', name: 'name', 'owner.name': 'owner_name', 'owner.phone': 'owner_phone', amount: 'amount' },
};

describe.runIf(TEST_MARIADB_URL !== undefined)('the 前置库 record transport', () => {
  let db: ExchangeDb;
  let transport: SqlRecordTransport;

  beforeAll(async () => {
    db = await freshExchangeDb();
    await db.query(
      `CREATE TABLE feed_item (code VARCHAR(32) COLLATE utf8mb4_bin PRIMARY KEY, name VARCHAR(64), owner_name VARCHAR(64),
        owner_phone VARCHAR(32), amount DECIMAL(20,6), written_at DATETIME(3) NOT NULL, KEY feed (written_at, code))`,
    );
    transport = new SqlRecordTransport({
      system: 'credit',
      url: db.url,
      metrics: createMetrics(),
      resources: { item: TABLE },
    });
  });
  afterAll(async () => {
    await transport?.close();
    await db?.drop();
  });

  /** Reads the feed to its end in pages of `limit`, checking each page's `hasMore` against what follows. */
  async function readAll(limit: number, from: string | null = null) {
    const codes: string[] = [];
    const pages: number[] = [];
    let cursor = from;
    for (;;) {
      const page = await transport.changes('item', cursor, limit);
      codes.push(...page.items.map((item) => String(item['code'])));
      pages.push(page.items.length);
      cursor = page.nextCursor;
      if (!page.hasMore) return { codes, pages, cursor };
    }
  }

  it('reads an empty feed as nothing, with no position yet', async () => {
    expect(await transport.changes('item', null, 10)).toEqual({ items: [], nextCursor: null, hasMore: false });
  });

  it('neither skips nor repeats rows of one update time that straddle page boundaries', async () => {
    // 25 rows written in the same millisecond, ids inserted out of order, between rows before and after.
    const same = '2024-03-01 09:00:00.000';
    const ids = Array.from({ length: 25 }, (_, i) => `B${String((i * 7) % 25).padStart(2, '0')}`);
    await db.query('INSERT INTO feed_item (code, name, written_at) VALUES ?', [
      [
        ['Z-EARLY', 'first', '2024-02-29 23:59:59.999'],
        ...ids.map((code) => [code, code, same]),
        ['A-LATE', 'last', '2024-03-01 09:00:00.001'],
      ],
    ]);
    const expected = ['Z-EARLY', ...[...ids].sort(), 'A-LATE'];
    for (const limit of [1, 4, 10, 26, 27, 100]) {
      const { codes, pages } = await readAll(limit);
      expect(codes, `pages of ${limit}`).toEqual(expected);
      // `hasMore` is exact: a page that ends the feed says so, so no empty page is ever fetched.
      expect(pages.at(-1), `pages of ${limit}`).toBeGreaterThan(0);
    }
  });

  it('resumes after the cursor: rows written since, and rows rewritten since, arrive once', async () => {
    const { cursor } = await readAll(10);
    await db.query('INSERT INTO feed_item (code, name, written_at) VALUES ?', [
      [
        ['A-LATEST', 'x', '2024-03-01 09:00:00.001'],
        ['C-NEW', 'y', '2024-03-02 00:00:00.000'],
      ],
    ]);
    // Same time as the last row read but a greater id, or a later time: each arrives, once.
    expect((await readAll(10, cursor)).codes).toEqual(['A-LATEST', 'C-NEW']);
    await db.query("UPDATE feed_item SET name = 'moved', written_at = '2024-03-03 00:00:00.000' WHERE code = 'B03'");
    const after = await readAll(10, cursor);
    expect(after.codes).toEqual(['A-LATEST', 'C-NEW', 'B03']);
    expect((await readAll(10, after.cursor)).codes).toEqual([]);
  });

  it('builds nested fields from flat columns, null when every column of one is NULL', async () => {
    await db.query(
      "INSERT INTO feed_item VALUES ('N1', 'with owner', '张三', NULL, 0.35, NOW(3)), ('N2', 'no owner', NULL, NULL, NULL, NOW(3))",
    );
    const found = await transport.fetchBy('item', 'code', ['N2', 'N1', 'N1', 'missing']);
    expect(found).toEqual([
      { code: 'N1', name: 'with owner', owner: { name: '张三', phone: null }, amount: 0.35 },
      { code: 'N2', name: 'no owner', owner: null, amount: null },
    ]);
    expect(await transport.fetchBy('item', 'owner.name', ['张三'])).toHaveLength(1);
    await expect(transport.fetchBy('item', 'written_at', ['x'])).rejects.toThrow("item has no field 'written_at'");
  });

  it('pages the whole table in id order with its total', async () => {
    const first = await transport.list('item', 0, 3);
    const rest = await transport.list('item', 3, 1000);
    expect(first.total).toBe(first.items.length + rest.items.length);
    const codes = [...first.items, ...rest.items].map((item) => String(item['code']));
    expect(codes).toEqual([...codes].sort());
  });

  it('refuses a cursor it did not write, naming the credit system', async () => {
    const simulatorCursor = Buffer.from(JSON.stringify([1700000000000, 'XY1'])).toString('base64url');
    const forged = `sqlk1.${Buffer.from(JSON.stringify(["2024-01-01' OR 1=1 --", 'x'])).toString('base64url')}`;
    for (const cursor of [simulatorCursor, forged, 'sqlk1.!!']) {
      const failure = await transport.changes('item', cursor, 10).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(UpstreamBadResponseError);
      expect(failure).toMatchObject({ system: 'credit', reason: 'invalid_cursor' });
    }
  });

  it('refuses table and column names that are not plain identifiers, naming each, before any query', () => {
    const make = (table: SqlResourceTable) =>
      new SqlRecordTransport({ system: 'credit', url: db.url, metrics: createMetrics(), resources: { item: table } });
    const bad = () =>
      make({ ...TABLE, table: 'feed_item; DROP TABLE x', fields: { ...TABLE.fields, 'bad`path': 'name' } });
    expect(bad).toThrow("item table 'feed_item; DROP TABLE x' is not a plain SQL identifier");
    expect(bad).toThrow("field path 'bad`path' is not dotted identifiers");
    expect(() => make({ ...TABLE, updatedColumn: 'written_at`' })).toThrow("item update-time column 'written_at`'");
  });

  it('gives up on a query slower than its timeout as UPSTREAM_TIMEOUT, and the next query still runs', async () => {
    // A view that takes two seconds to read: the database answers, but too late.
    await db.query('CREATE VIEW slow_item AS SELECT f.* FROM feed_item f JOIN (SELECT SLEEP(2) AS pause) p');
    const slow = new SqlRecordTransport({
      system: 'credit',
      url: db.url,
      metrics: createMetrics(),
      timeoutMs: 300,
      retries: 0,
      resources: { item: { ...TABLE, table: 'slow_item' }, fast: TABLE },
    });
    try {
      const started = performance.now();
      await expect(slow.list('item', 0, 5)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', system: 'credit' });
      expect(performance.now() - started).toBeLessThan(1500);
      expect((await slow.list('fast', 0, 2)).items).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });

  it('names a table the database lacks as an unusable answer, not an outage', async () => {
    const missing = new SqlRecordTransport({
      system: 'credit',
      url: db.url,
      metrics: createMetrics(),
      resources: { item: { ...TABLE, table: 'no_such_table' } },
    });
    try {
      await expect(missing.ping()).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', reason: 'no_such_table' });
    } finally {
      await missing.close();
    }
  });
});
