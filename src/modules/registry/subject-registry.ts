import type { RegistryEntry } from '../../domain/feeds.ts';
import type { AgencySystem, Instant } from '../../domain/types.ts';
import { AGENCY_SYSTEMS } from '../../domain/types.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { PrismaClient, Subject as SubjectRow } from '../../generated/prisma/client.ts';
import { VersionedCache } from './versioned-cache.ts';
import { RegistryVersionSignal } from './registry-version-signal.ts';
import type { ListenInProcess } from '../../platform/store/open-store.ts';
import type { QueryRows } from '../../platform/store/execute-statement.ts';
import { isValidUscc } from '../../identifiers/uscc.ts';
import { formatChinaInstant } from '../../domain/china-time.ts';
import { cursorCodec } from '../../platform/cursor-codec.ts';
import { upsertSubjectsSql } from './upsert-subjects-sql.ts';

/** Keyset position in the search order: the USCC of the last subject shown. */
const SUBJECT_CURSOR = cursorCodec<string>({
  kind: 'subjects',
  version: 1,
  toParts: (uscc) => [uscc],
  fromParts: ([uscc, ...rest]) => (rest.length === 0 && typeof uscc === 'string' && uscc !== '' ? uscc : null),
});

/** A market subject as the gateway's registry holds it, merged across the agencies that reported it. */
export interface RegisteredSubject {
  uscc: string;
  /** False when the USCC fails its GB 32100 check; kept as the agency stored it all the same. */
  usccValid: boolean;
  legacyRegNo: string | null;
  name: string;
  townshipCode: string | null;
  countyCode: string | null;
  sources: AgencySystem[];
  upstreamUpdatedAt: Instant;
  syncedAt: Instant;
}

export interface SubjectFilter {
  /** Case-insensitive substring of the name; `%` and `_` match themselves. */
  nameContains?: string;
  townshipCode?: string;
  countyCode?: string;
  hasLegacyRegNo?: boolean;
  usccValid?: boolean;
}

export interface PageRequest {
  first: number;
  /** The `endCursor` of the previous page. */
  after?: string;
}

export interface SubjectPage {
  /** Null when the caller did not ask for it (`count: false`). */
  totalCount: number | null;
  items: RegisteredSubject[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export type CountedSubjectPage = SubjectPage & { totalCount: number };

export interface FeedCursor {
  feed: string;
  cursor: string;
  syncedAt: Instant;
  /** Records read from the feed since the gateway first synced it. */
  records: number;
}

type Db = PrismaClient | Prisma.TransactionClient;

/** Distinct searches kept: a page holds at most the largest page size of subjects. */
const SEARCH_PAGES_KEPT = 64;

/** The registry's version: moves with every statement that changes the subject table. */
const VERSION_SQL = 'SELECT version FROM registry_version WHERE id = 1';

/**
 * The subject registry: every market subject any agency reported, so lookups by USCC or legacy
 * number and searches by name or township need no upstream call. Agencies disagree; the merge
 * rules live in upsert-subjects-sql.ts.
 */
export class SubjectRegistry {
  readonly #db: Db;
  /** Already inside a transaction: nested ones would need savepoints, which PGlite's adapter lacks. */
  #inTransaction = false;
  /** Search pages by query, kept while the registry's version stays the same. */
  readonly #searchPages = new VersionedCache<SubjectPage>(SEARCH_PAGES_KEPT);
  /** The version as the database announces it, when it can (PGlite); otherwise each search reads it. */
  #versionSignal: RegistryVersionSignal | undefined;
  /** Reads the version straight on the driver, when the store can (PostgreSQL); else through Prisma. */
  #versionQuery: QueryRows | undefined;

  /** Give it the gateway's client, or a transaction's client to act inside that transaction. */
  constructor(db: Db) {
    this.#db = db;
    this.#inTransaction = !('$connect' in db);
  }

  /**
   * Takes the version from the trigger's notifications rather than a read per search, while the
   * listener is live (bench/RESULTS-fixedcost.notes.md: the read was about a tenth of a large
   * list's CPU on PGlite). Resolves to the function that stops listening.
   */
  async followVersion(listen: ListenInProcess): Promise<() => Promise<void>> {
    const signal = await RegistryVersionSignal.start(listen);
    this.#versionSignal = signal;
    return async () => {
      if (this.#versionSignal === signal) this.#versionSignal = undefined;
      await signal.stop();
    };
  }

  /**
   * Reads the version per search with `query` rather than through Prisma, whose own work cost
   * more CPU than the read (bench/notes/quiet-run.md). Not for a registry inside a transaction,
   * which must read on the transaction's connection.
   */
  readVersionWith(query: QueryRows): void {
    if (!this.#inTransaction) this.#versionQuery = query;
  }

  /** Runs `work` against a registry whose writes all commit together or not at all. */
  async transaction<T>(work: (registry: SubjectRegistry) => Promise<T>): Promise<T> {
    const db = this.#db;
    if (this.#inTransaction || !('$transaction' in db)) return work(this);
    return db.$transaction((tx) => {
      const registry = new SubjectRegistry(tx);
      registry.#inTransaction = true;
      return work(registry);
    });
  }

  /** Merges what agencies reported. Entries for one subject apply in order. */
  async upsertMany(entries: readonly RegistryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.transaction(async (registry) => {
      const db = registry.#db;
      // The version row first, before any subject row: its trigger would otherwise take it after
      // the subjects', and two gateways writing the same subjects could each wait for the other.
      await db.$queryRaw(Prisma.sql`SELECT version FROM registry_version WHERE id = 1 FOR UPDATE`);
      const accepted = await withoutClaimedLegacyNumbers(db, entries);
      for (const round of rounds(accepted)) {
        await db.$executeRaw(upsertSubjectsSql(round.map(toRow)));
      }
    });
  }

  async findByUsccs(usccs: readonly string[]): Promise<RegisteredSubject[]> {
    if (usccs.length === 0) return [];
    const rows = await this.#db.subject.findMany({ where: { uscc: { in: [...usccs] } } });
    return rows.map(toRegisteredSubject);
  }

  async findByLegacyRegNos(legacyRegNos: readonly string[]): Promise<RegisteredSubject[]> {
    if (legacyRegNos.length === 0) return [];
    const rows = await this.#db.subject.findMany({ where: { legacyRegNo: { in: [...legacyRegNos] } } });
    return rows.map(toRegisteredSubject);
  }

  /**
   * Keyset-paged by USCC, so a page never skips or repeats rows however deep the caller goes.
   * `count: false` skips the count, which reads every matching row: most queries never ask for it.
   */
  async search(filter: SubjectFilter, page: PageRequest): Promise<CountedSubjectPage>;
  async search(filter: SubjectFilter, page: PageRequest, options: { count: boolean }): Promise<SubjectPage>;
  async search(
    filter: SubjectFilter,
    page: PageRequest,
    options: { count: boolean } = { count: true },
  ): Promise<SubjectPage> {
    // Inside a transaction the page must see the transaction's own writes: read it there.
    if (this.#inTransaction) return this.#searchStore(filter, page, options);
    // The version first: a page read after it is at least as new, so it is never kept as newer than it is.
    const version = await this.#version();
    const key = JSON.stringify([filter, page.first, page.after ?? null, options.count]);
    return this.#searchPages.get(key, version, () => this.#searchStore(filter, page, options));
  }

  /** Moves with every statement that changes the subject table, on any gateway (a trigger keeps it). */
  async #version(): Promise<string> {
    return this.#versionSignal?.current() ?? this.#readVersion();
  }

  async #readVersion(): Promise<string> {
    const [row] = this.#versionQuery
      ? await this.#versionQuery(VERSION_SQL, [])
      : await this.#db.$queryRaw<Array<{ version: bigint }>>(Prisma.raw(VERSION_SQL));
    if (!row) throw new Error('registry_version has no row: the store is not migrated');
    return String(row['version']);
  }

  async #searchStore(filter: SubjectFilter, page: PageRequest, options: { count: boolean }): Promise<SubjectPage> {
    const where = toWhere(filter);
    const after = page.after === undefined ? undefined : SUBJECT_CURSOR.decode(page.after);
    const [totalCount, rows] = await Promise.all([
      options.count ? this.#db.subject.count({ where }) : null,
      this.#db.subject.findMany({
        where: after === undefined ? where : { AND: [where, { uscc: { gt: after } }] },
        orderBy: { uscc: 'asc' },
        take: page.first + 1,
      }),
    ]);
    // Frozen: a kept page is shared by every request that reads it until the registry changes.
    const items = rows.slice(0, page.first).map((row) => Object.freeze(toRegisteredSubject(row)));
    Object.freeze(items);
    const last = items.at(-1);
    return Object.freeze({
      totalCount,
      items,
      endCursor: last ? SUBJECT_CURSOR.encode(last.uscc) : null,
      hasNextPage: rows.length > page.first,
    });
  }

  async cursor(feed: string): Promise<FeedCursor | null> {
    const row = await this.#db.syncCursor.findUnique({ where: { feed } });
    return row && toFeedCursor(row);
  }

  async cursors(): Promise<FeedCursor[]> {
    const rows = await this.#db.syncCursor.findMany({ orderBy: { feed: 'asc' } });
    return rows.map(toFeedCursor);
  }

  /** Records how far `feed` has been read; `count` is the records read since the last save. */
  async saveCursor(feed: string, cursor: string, count: number): Promise<void> {
    const syncedAt = new Date();
    await this.#db.syncCursor.upsert({
      where: { feed },
      create: { feed, cursor, syncedAt, records: count },
      update: { cursor, syncedAt, records: { increment: count } },
    });
  }
}

/**
 * A legacy number belongs to one subject (it is unique in the table). When an entry claims a
 * number another subject already holds, or an earlier entry of the batch claimed, the entry is
 * kept without it rather than failing the whole page on dirty upstream data.
 */
async function withoutClaimedLegacyNumbers(db: Db, entries: readonly RegistryEntry[]): Promise<RegistryEntry[]> {
  const numbers = [...new Set(entries.flatMap((entry) => (entry.legacyRegNo ? [entry.legacyRegNo] : [])))];
  if (numbers.length === 0) return [...entries];
  const holders = await db.subject.findMany({
    where: { legacyRegNo: { in: numbers } },
    select: { uscc: true, legacyRegNo: true },
  });
  const holderOf = new Map(holders.map((row) => [row.legacyRegNo, row.uscc]));
  return entries.map((entry) => {
    if (!entry.legacyRegNo) return entry;
    const holder = holderOf.get(entry.legacyRegNo);
    if (holder === undefined) holderOf.set(entry.legacyRegNo, entry.uscc);
    return holder === undefined || holder === entry.uscc ? entry : { ...entry, legacyRegNo: null };
  });
}

/**
 * One INSERT ... ON CONFLICT may touch a row only once, so repeated subjects go in later rounds,
 * which also makes entries for one subject apply in the order given.
 */
function rounds(entries: readonly RegistryEntry[]): RegistryEntry[][] {
  const seen = new Map<string, number>();
  const result: RegistryEntry[][] = [];
  for (const entry of entries) {
    const round = seen.get(entry.uscc) ?? 0;
    seen.set(entry.uscc, round + 1);
    (result[round] ??= []).push(entry);
  }
  return result;
}

function toRow(entry: RegistryEntry) {
  return {
    uscc: entry.uscc,
    usccValid: isValidUscc(entry.uscc),
    legacyRegNo: entry.legacyRegNo,
    name: entry.name,
    townshipCode: entry.townshipCode,
    countyCode: entry.townshipCode && entry.townshipCode.length >= 6 ? entry.townshipCode.slice(0, 6) : null,
    source: entry.source,
    updatedAt: entry.updatedAt,
  };
}

function toWhere(filter: SubjectFilter): Prisma.SubjectWhereInput {
  const where: Prisma.SubjectWhereInput[] = [];
  if (filter.nameContains) {
    where.push({ name: { contains: escapeLikePattern(filter.nameContains), mode: 'insensitive' } });
  }
  if (filter.townshipCode !== undefined) where.push({ townshipCode: filter.townshipCode });
  if (filter.countyCode !== undefined) where.push({ countyCode: filter.countyCode });
  if (filter.hasLegacyRegNo !== undefined) {
    where.push({ legacyRegNo: filter.hasLegacyRegNo ? { not: null } : null });
  }
  if (filter.usccValid !== undefined) where.push({ usccValid: filter.usccValid });
  return { AND: where };
}

/** Prisma passes `contains` to ILIKE as is, so its wildcards would match any character. */
function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function toRegisteredSubject(row: SubjectRow): RegisteredSubject {
  return {
    uscc: row.uscc,
    usccValid: row.usccValid,
    legacyRegNo: row.legacyRegNo,
    name: row.name,
    townshipCode: row.townshipCode,
    countyCode: row.countyCode,
    sources: row.sources.filter(isAgencySystem),
    upstreamUpdatedAt: formatChinaInstant(row.upstreamUpdatedAt.getTime()),
    syncedAt: formatChinaInstant(row.syncedAt.getTime()),
  };
}

function isAgencySystem(value: string): value is AgencySystem {
  return (AGENCY_SYSTEMS as readonly string[]).includes(value);
}

function toFeedCursor(row: { feed: string; cursor: string; syncedAt: Date; records: number }): FeedCursor {
  return {
    feed: row.feed,
    cursor: row.cursor,
    syncedAt: formatChinaInstant(row.syncedAt.getTime()),
    records: row.records,
  };
}
