import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRecordTransport } from '../../src/connectors/index.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { freshExchangeDb, TEST_MARIADB_URL, type ExchangeDb } from '../support/exchange-db.ts';

/**
 * A 前置库 the platform writes in two steps: the row first, its update time after. Until the
 * time is set the row is half-written; the change feed must neither lose its place on it nor
 * lose the row once it is written.
 */
describe.runIf(TEST_MARIADB_URL !== undefined)('the 前置库 change feed over half-written rows', () => {
  let db: ExchangeDb;
  let transport: SqlRecordTransport;

  beforeAll(async () => {
    db = await freshExchangeDb();
    await db.query(
      `CREATE TABLE loose_item (code VARCHAR(32) COLLATE utf8mb4_bin PRIMARY KEY, name VARCHAR(64),
        written_at DATETIME(3) NULL, KEY feed (written_at, code))`,
    );
    transport = new SqlRecordTransport({
      system: 'credit',
      url: db.url,
      metrics: createMetrics(),
      resources: {
        item: { table: 'loose_item', idColumn: 'code', updatedColumn: 'written_at', fields: { code: 'code' } },
      },
    });
  });
  afterAll(async () => {
    await transport?.close();
    await db?.drop();
  });

  async function readAll(from: string | null) {
    const codes: string[] = [];
    let cursor = from;
    for (;;) {
      const page = await transport.changes('item', cursor, 2);
      codes.push(...page.items.map((item) => String(item['code'])));
      cursor = page.nextCursor;
      if (!page.hasMore) return { codes, cursor };
    }
  }

  it('passes over rows without an update time, keeps a usable place, and reads each once it is written', async () => {
    await db.query(
      `INSERT INTO loose_item (code, written_at) VALUES
        ('half-a', NULL), ('half-b', NULL), ('whole-c', '2026-01-01 08:00:00'), ('whole-d', '2026-01-01 09:00:00')`,
    );
    const first = await readAll(null);
    expect(first.codes).toEqual(['whole-c', 'whole-d']);

    await db.query(`UPDATE loose_item SET written_at = '2026-01-02 08:00:00' WHERE code IN ('half-a', 'half-b')`);
    const next = await readAll(first.cursor);
    expect(next.codes).toEqual(['half-a', 'half-b']);
  });
});
