import { formatChinaInstant } from '../../domain/china-time.ts';
import type { Instant } from '../../domain/types.ts';
import type { Prisma } from '../../generated/prisma/client.ts';
import { type PrismaClient } from '../../generated/prisma/client.ts';
import { LOOP_TABLES, type LoopRow, type LoopTable } from './loop-index-tables.ts';
import { unnestUpsertSql } from '../../platform/store/unnest-upsert-sql.ts';

type Db = PrismaClient | Prisma.TransactionClient;

/** What the index held of a permit before a page changed it, for PERMIT_ISSUED / PERMIT_CHANGED. */
export interface StoredPermitState {
  permitNo: string;
  status: string;
  validUntil: string | null;
  issuerCode: string;
}

/**
 * The loop index in the gateway's store: compact rows of permits, inspections, clues, cases,
 * penalties and credit records, and how far each feed has been read (`sync_cursor`).
 */
export class LoopIndexStore {
  readonly #db: Db;
  readonly #inTransaction: boolean;

  constructor(db: Db) {
    this.#db = db;
    this.#inTransaction = !('$connect' in db);
  }

  /** The client to write with, so events can join the index write's transaction. */
  get client(): Db {
    return this.#db;
  }

  /** Runs `work` against an index whose writes all commit together or not at all. */
  async transaction<T>(work: (index: LoopIndexStore) => Promise<T>): Promise<T> {
    const db = this.#db;
    if (this.#inTransaction || !('$transaction' in db)) return work(this);
    return db.$transaction((tx) => work(new LoopIndexStore(tx)), { timeout: 60_000, maxWait: 30_000 });
  }

  /** Inserts or replaces rows; a row older than the stored one changes nothing. */
  async upsert<T extends LoopTable>(table: T, rows: readonly LoopRow<T>[]): Promise<void> {
    if (rows.length === 0) return;
    const spec = LOOP_TABLES[table];
    // One statement may touch a row once: the newest of each key wins (feeds are oldest first).
    const byKey = new Map(rows.map((row) => [row[spec.key as keyof LoopRow<T>] as string, row]));
    await this.#db.$executeRaw(unnestUpsertSql(spec, [...byKey.values()]));
  }

  async permitStates(permitNos: readonly string[]): Promise<Map<string, StoredPermitState>> {
    if (permitNos.length === 0) return new Map();
    const rows = await this.#db.$queryRaw<StoredPermitState[]>`
      SELECT permit_no AS "permitNo", status, valid_until::text AS "validUntil", issuer_code AS "issuerCode"
      FROM loop_permit WHERE permit_no = ANY(${[...permitNos]}::text[])`;
    return new Map(rows.map((row) => [row.permitNo, row]));
  }

  /** Ids of these inspections the index already holds as having found a violation. */
  async knownViolations(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.#db.$queryRaw<{ id: string }[]>`
      SELECT id FROM loop_inspection WHERE id = ANY(${[...ids]}::text[]) AND outcome = 'VIOLATION_FOUND'`;
    return new Set(rows.map((row) => row.id));
  }

  /**
   * Refreshes the planner's statistics of the index tables. PGlite runs no autovacuum, and with
   * the statistics of an empty table a backfilled index gets plans made for a handful of rows.
   */
  async analyze(): Promise<void> {
    await this.#db.$executeRawUnsafe(
      'ANALYZE loop_permit, loop_inspection, loop_clue, loop_case, loop_penalty, loop_credit_record, subject',
    );
  }

  /** The USCCs the subject registry holds for these legacy registration numbers. */
  async usccsOfLegacyNumbers(legacyRegNos: readonly string[]): Promise<Map<string, string>> {
    if (legacyRegNos.length === 0) return new Map();
    const rows = await this.#db.subject.findMany({
      where: { legacyRegNo: { in: [...legacyRegNos] } },
      select: { uscc: true, legacyRegNo: true },
    });
    return new Map(rows.map((row) => [row.legacyRegNo!, row.uscc]));
  }

  async knownPenalties(decisionNos: readonly string[]): Promise<Set<string>> {
    if (decisionNos.length === 0) return new Set();
    const rows = await this.#db.$queryRaw<{ decisionNo: string }[]>`
      SELECT decision_no AS "decisionNo" FROM loop_penalty WHERE decision_no = ANY(${[...decisionNos]}::text[])`;
    return new Set(rows.map((row) => row.decisionNo));
  }

  /**
   * The department that supervises permits of each item ("谁审批谁监管"), as the index shows it:
   * the authority that most often leads inspections of such permits.
   */
  async supervisingDepartments(itemCodes: readonly string[]): Promise<Map<string, string>> {
    if (itemCodes.length === 0) return new Map();
    const rows = await this.#db.$queryRaw<{ itemCode: string; authorityCode: string }[]>`
      SELECT DISTINCT ON (p.item_code) p.item_code AS "itemCode", i.lead_authority_code AS "authorityCode"
      FROM loop_inspection i JOIN loop_permit p ON p.permit_no = i.permit_no
      WHERE p.item_code = ANY(${[...itemCodes]}::text[])
      GROUP BY p.item_code, i.lead_authority_code
      ORDER BY p.item_code, count(*) DESC, i.lead_authority_code`;
    return new Map(rows.map((row) => [row.itemCode, row.authorityCode]));
  }

  async cursor(feed: string): Promise<{ cursor: string } | null> {
    return this.#db.syncCursor.findUnique({ where: { feed }, select: { cursor: true } });
  }

  async cursors(): Promise<Array<{ feed: string; syncedAt: Instant; records: number }>> {
    const rows = await this.#db.syncCursor.findMany({ orderBy: { feed: 'asc' } });
    return rows.map((row) => ({
      feed: row.feed,
      syncedAt: formatChinaInstant(row.syncedAt.getTime()),
      records: row.records,
    }));
  }

  /** Records how far `feed` has been read; `count` is the records read since the last save. */
  async saveCursor(feed: string, cursor: string, count: number): Promise<void> {
    // One statement, not Prisma's upsert (a read then a write): this runs once per page.
    await this.#db.$executeRaw`
      INSERT INTO sync_cursor (feed, cursor, synced_at, records) VALUES (${feed}, ${cursor}, now(), ${count})
      ON CONFLICT (feed) DO UPDATE SET cursor = EXCLUDED.cursor, synced_at = EXCLUDED.synced_at,
        records = sync_cursor.records + EXCLUDED.records`;
  }
}
