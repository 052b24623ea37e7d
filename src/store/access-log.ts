import { formatChinaInstant } from '../domain/china-time.ts';
import type { Instant } from '../domain/types.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { AccessLogEntry as AccessLogRow, PrismaClient } from '../generated/prisma/client.ts';
import { conditionalGrantsOf, entryHash, GENESIS_HASH } from './access-log-hash.ts';
import type { AccessLogFields } from './access-log-hash.ts';
import { InvalidCursorError } from './search-cursor.ts';

/**
 * How the operation ended: answered in full, answered with some fields denied or some upstream
 * missing, refused as a whole (e.g. a mutation with a denied part), or failed.
 */
export type AccessOutcome = 'OK' | 'PARTIAL' | 'DENIED' | 'ERROR';

/** One operation to record; the log gives it its place in the chain. */
export interface AccessLogInput extends AccessLogFields {
  outcome: AccessOutcome;
}

/** A recorded entry. `seq` fits a number: 2^53 entries is far beyond any gateway's lifetime. */
export interface AccessRecord {
  seq: number;
  at: Instant;
  durationMs: number;
  callerSubject: string;
  issuer: string;
  authorityCode: string;
  roles: string[];
  purpose: string | null;
  operationName: string | null;
  queryHash: string;
  subjects: string[];
  conditionalFields: string[];
  notSharedFields: string[];
  deniedFields: string[];
  /** For each conditional field read under a grant: coordinate → the grant's id. */
  conditionalGrants: Record<string, string>;
  outcome: string;
  prevHash: string;
  hash: string;
}

export interface AccessLogFilter {
  /** Entries that touched this USCC. */
  subject?: string;
  authorityCode?: string;
  /** Operations that started at or after `from` and before `to`. */
  from?: Date;
  to?: Date;
}

export interface AccessLogPageRequest {
  first: number;
  /** The `endCursor` of the previous page. */
  after?: string;
}

export interface AccessLogPage {
  items: AccessRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/**
 * Serialises appends across every gateway process on one PostgreSQL database (and is harmless
 * on PGlite, whose single connection already runs one transaction at a time). Distinct from the
 * migration lock (2_024_061_901) and Prisma's own (72707369).
 */
const APPEND_LOCK_KEY = 2_024_112_201;

/** Generous: a batch waits behind the others' short transactions, never behind a slow client. */
const TRANSACTION_OPTIONS = { maxWait: 15_000, timeout: 15_000 } as const;

/**
 * The tamper-evident access log: append-only, hash-chained entries numbered 1, 2, 3, … with no
 * gaps. Appends made through one AccessLog run one at a time, and each remembers the head it
 * wrote, so the usual append is a single statement: a multi-row INSERT chained onto that
 * remembered head, which takes the appenders' advisory lock for itself if the lock is free (and
 * inserts nothing if not), with no read of the head. Should the head have moved meanwhile
 * (another gateway process appended), that INSERT fails on the primary key on seq or the unique
 * prev_hash, which is what stops a forked chain, and inserts nothing. Either way the batch is
 * then appended the careful way, one short transaction of three statements:
 *   1. `pg_advisory_xact_lock`: wait for the previous appender (any process) to commit;
 *   2. read the head (highest seq and its hash) — a separate statement on purpose: under READ
 *      COMMITTED each statement sees what was committed before it started, and only a statement
 *      started after the lock was granted sees the previous appender's rows;
 *   3. insert the batch, chained onto that head.
 * The lock is released at commit or rollback, so a crashed appender leaves no gap and no lock.
 * The first append of a process always takes the careful way. Entries deleted from the end of
 * the log while this process runs are not papered over: the next append still follows the
 * deleted entry, so the gap shows in `audit:verify`.
 */
export class AccessLog {
  readonly #prisma: PrismaClient;
  /** The last entry this process wrote, or null until it has written one. */
  #head: { seq: number; hash: string } | null = null;
  /** Appends through this AccessLog, one after another, so the remembered head is current. */
  #tail: Promise<unknown> = Promise.resolve();

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  async append(entry: AccessLogInput): Promise<AccessRecord> {
    const [record] = await this.appendMany([entry]);
    if (!record) throw new Error('the access log did not record the entry');
    return record;
  }

  /** Appends entries in the order given, all or none. */
  appendMany(entries: readonly AccessLogInput[]): Promise<AccessRecord[]> {
    if (entries.length === 0) return Promise.resolve([]);
    const appended = this.#tail.then(() => this.#appendNext(entries.map(storable)));
    this.#tail = appended.catch(() => undefined);
    return appended;
  }

  async #appendNext(fields: readonly AccessLogFields[]): Promise<AccessRecord[]> {
    let rows: ChainedRow[] | null = null;
    if (this.#head) {
      const chained = chain(this.#head, fields);
      // Inserts nothing when another appender holds the lock, and fails, inserting nothing, when
      // another process has appended since: see the class comment.
      const inserted = await this.#prisma.$executeRaw(insertRowsIfUnlocked(chained)).catch(() => 0);
      if (inserted === chained.length) rows = chained;
    }
    rows ??= await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${Prisma.raw(String(APPEND_LOCK_KEY))})`;
      const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
        SELECT "seq", "hash" FROM "access_log" ORDER BY "seq" DESC LIMIT 1`;
      const chained = chain(head ? { seq: Number(head.seq), hash: head.hash } : null, fields);
      await tx.$executeRaw(insertRows(chained));
      return chained;
    }, TRANSACTION_OPTIONS);
    const last = rows.at(-1)!;
    this.#head = { seq: last.seq, hash: last.hash };
    return rows.map((row) => ({ ...row, at: formatChinaInstant(row.at.getTime()) }));
  }

  /** Newest first, keyset-paged by seq, so entries appended meanwhile never shift a page. */
  async query(filter: AccessLogFilter, page: AccessLogPageRequest): Promise<AccessLogPage> {
    const where: Prisma.AccessLogEntryWhereInput[] = [];
    if (filter.subject !== undefined) where.push({ subjects: { has: filter.subject } });
    if (filter.authorityCode !== undefined) where.push({ authorityCode: filter.authorityCode });
    if (filter.from !== undefined) where.push({ at: { gte: filter.from } });
    if (filter.to !== undefined) where.push({ at: { lt: filter.to } });
    if (page.after !== undefined) where.push({ seq: { lt: decodeAccessLogCursor(page.after) } });
    const rows = await this.#prisma.accessLogEntry.findMany({
      where: { AND: where },
      orderBy: { seq: 'desc' },
      take: page.first + 1,
    });
    const items = rows.slice(0, page.first).map(toRecord);
    const last = items.at(-1);
    return { items, endCursor: last ? encodeAccessLogCursor(last.seq) : null, hasNextPage: rows.length > page.first };
  }
}

interface ChainedRow
  extends Omit<AccessLogFields, 'roles' | 'subjects' | 'conditionalFields' | 'notSharedFields' | 'deniedFields' | 'conditionalGrants'> {
  seq: number;
  roles: string[];
  subjects: string[];
  conditionalFields: string[];
  notSharedFields: string[];
  deniedFields: string[];
  conditionalGrants: Record<string, string>;
  prevHash: string;
  hash: string;
}

function chain(head: { seq: number; hash: string } | null, entries: readonly AccessLogFields[]): ChainedRow[] {
  let seq = head?.seq ?? 0;
  let prevHash = head?.hash ?? GENESIS_HASH;
  return entries.map((fields) => {
    seq += 1;
    const hash = entryHash(prevHash, seq, fields);
    const row = {
      ...fields,
      roles: [...fields.roles],
      subjects: [...fields.subjects],
      conditionalFields: [...fields.conditionalFields],
      notSharedFields: [...fields.notSharedFields],
      deniedFields: [...fields.deniedFields],
      conditionalGrants: { ...(fields.conditionalGrants ?? {}) },
      seq,
      prevHash,
      hash,
    };
    prevHash = hash;
    return row;
  });
}

const COLUMNS = Prisma.raw(`"seq", "at", "duration_ms", "caller_subject", "issuer", "authority_code", "roles", "purpose",
  "operation_name", "query_hash", "subjects", "conditional_fields", "not_shared_fields", "denied_fields", "conditional_grants", "outcome",
  "prev_hash", "hash"`);

/** The chained rows as a VALUES list, typed so it can stand in a subquery as well as after INSERT. */
function valuesOf(rows: readonly ChainedRow[]): Prisma.Sql {
  const values = rows.map(
    (row) => Prisma.sql`(${BigInt(row.seq)}::bigint, ${row.at}::timestamptz, ${row.durationMs}::integer, ${row.callerSubject}::text,
      ${row.issuer}::text, ${row.authorityCode}::text, ${row.roles}::text[], ${row.purpose}::text, ${row.operationName}::text,
      ${row.queryHash}::text, ${row.subjects}::text[], ${row.conditionalFields}::text[], ${row.notSharedFields}::text[],
      ${row.deniedFields}::text[], ${JSON.stringify(row.conditionalGrants)}::jsonb, ${row.outcome}::text, ${row.prevHash}::text, ${row.hash}::text)`,
  );
  return Prisma.sql`VALUES ${Prisma.join(values)}`;
}

/** One INSERT of the chained rows; cheaper than the ORM's createMany on this per-request path. */
function insertRows(rows: readonly ChainedRow[]): Prisma.Sql {
  return Prisma.sql`INSERT INTO "access_log" (${COLUMNS}) ${valuesOf(rows)}`;
}

/**
 * The same INSERT as one statement (its own transaction) that first takes the appenders' lock if
 * it is free, and inserts nothing if it is not: so it never slips in between another appender's
 * read of the head and its insert.
 */
function insertRowsIfUnlocked(rows: readonly ChainedRow[]): Prisma.Sql {
  return Prisma.sql`INSERT INTO "access_log" (${COLUMNS})
    SELECT * FROM (${valuesOf(rows)}) AS batch
    WHERE (SELECT pg_try_advisory_xact_lock(${Prisma.raw(String(APPEND_LOCK_KEY))}))`;
}

/**
 * The entry exactly as the database will hold it, so the hash covers what is stored: whole
 * milliseconds, and no NUL characters (PostgreSQL text cannot hold them; a client-chosen
 * operation name with one must not make the log, and so every request, fail).
 */
function storable(entry: AccessLogInput): AccessLogFields {
  const text = (value: string) => value.replaceAll('\u0000', '\uFFFD');
  const texts = (values: readonly string[]) => values.map(text);
  return {
    at: new Date(Math.trunc(entry.at.getTime())),
    durationMs: Math.max(0, Math.round(entry.durationMs)),
    callerSubject: text(entry.callerSubject),
    issuer: text(entry.issuer),
    authorityCode: text(entry.authorityCode),
    roles: texts(entry.roles),
    purpose: entry.purpose === null ? null : text(entry.purpose),
    operationName: entry.operationName === null ? null : text(entry.operationName),
    queryHash: entry.queryHash,
    subjects: texts(entry.subjects),
    conditionalFields: texts(entry.conditionalFields),
    notSharedFields: texts(entry.notSharedFields),
    deniedFields: texts(entry.deniedFields),
    conditionalGrants: Object.fromEntries(Object.entries(entry.conditionalGrants ?? {}).map(([field, grant]) => [text(field), text(grant)])),
    outcome: entry.outcome,
  };
}

function toRecord(row: AccessLogRow): AccessRecord {
  return { ...row, seq: Number(row.seq), at: formatChinaInstant(row.at.getTime()), conditionalGrants: conditionalGrantsOf(row.conditionalGrants) };
}

const CURSOR_PREFIX = 'access-log:';

function encodeAccessLogCursor(seq: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${seq}`, 'utf8').toString('base64url');
}

function decodeAccessLogCursor(cursor: string): bigint {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const digits = decoded.slice(CURSOR_PREFIX.length);
  if (!decoded.startsWith(CURSOR_PREFIX) || !/^[1-9]\d{0,15}$/.test(digits) || encodeAccessLogCursor(Number(digits)) !== cursor) {
    throw new InvalidCursorError(cursor);
  }
  return BigInt(digits);
}
