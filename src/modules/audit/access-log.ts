import { formatChinaInstant } from '../../domain/china-time.ts';
import { cursorCodec } from '../../platform/cursor-codec.ts';
import type { Instant } from '../../domain/types.ts';
import { Prisma } from '../../generated/prisma/client.ts';
import type { AccessLogEntry as AccessLogRow, PrismaClient } from '../../generated/prisma/client.ts';
import type { ExecuteStatement } from '../../platform/store/execute-statement.ts';
import { ranOutOfTime } from '../../platform/store/store-unavailable.ts';
import { CURRENT_HASH_VERSION, GENESIS_HASH, storedEntryHash } from './access-log-hash.ts';
import type { AccessLogFields } from './access-log-hash.ts';
import { storableValue } from './access-log-storable.ts';

/**
 * How the operation ended: answered in full, answered with some fields denied or some upstream
 * missing, refused as a whole (e.g. a mutation with a denied part), or failed.
 */
export type AccessOutcome = 'OK' | 'PARTIAL' | 'DENIED' | 'ERROR' | 'UNAUTHENTICATED';

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
  clientAddress: string | null;
  reason: string | null;
  traceId: string | null;
  hashVersion: number;
  prevHash: string;
  hash: string;
}

export interface AccessLogFilter {
  /** Entries that touched this USCC. */
  subject?: string;
  /** Other codes the same enterprise is named by in entries (its legacy registration number). */
  subjectAliases?: readonly string[];
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
 *
 * Given the store's `executeStatement` (both stores have one), the usual append's single
 * statement runs straight on the database's driver instead of through Prisma, whose own work
 * costs more CPU than the INSERT; the statement, its values and the careful way are the same.
 *
 * On a store that is one connection in this process (PGlite: one process opens its data folder,
 * and every statement waits for any open transaction), no other appender can run between the
 * careful way's statements, so the lock buys the usual append nothing: it is a plain INSERT
 * (a third cheaper on PGlite), still stopped by the primary key and the unique prev_hash should
 * another AccessLog in this process have appended meanwhile.
 */
export class AccessLog {
  readonly #prisma: PrismaClient;
  /** The usual append's INSERT of the chained rows, run on the store's driver or through Prisma. */
  readonly #usualInsert: (columns: readonly Column[], rows: readonly ChainedRow[]) => Promise<number>;
  /** The last entry this process wrote, or null until it has written one. */
  #head: { seq: number; hash: string } | null = null;
  /** Appends through this AccessLog, one after another, so the remembered head is current. */
  #tail: Promise<unknown> = Promise.resolve();
  #columns: Promise<readonly Column[]> | null = null;

  constructor(
    prisma: PrismaClient,
    options: { executeStatement?: ExecuteStatement | undefined; oneConnection?: boolean | undefined } = {},
  ) {
    this.#prisma = prisma;
    const { executeStatement, oneConnection = false } = options;
    const statementOf = oneConnection ? insertRows : insertRowsIfUnlocked;
    this.#usualInsert = executeStatement
      ? (columns, rows) => {
          const { text, values } = usualStatement(columns, rows, oneConnection);
          return executeStatement(text, values);
        }
      : (columns, rows) => prisma.$executeRaw(statementOf(columns, rows));
  }

  async append(entry: AccessLogInput): Promise<AccessRecord> {
    const [record] = await this.appendMany([entry]);
    if (!record) throw new Error('the access log did not record the entry');
    return record;
  }

  /** Appends entries in the order given, all or none. */
  async appendMany(entries: readonly AccessLogInput[]): Promise<AccessRecord[]> {
    const rows = await this.#appendRows(entries);
    return rows.map((row) => toRecord(row as unknown as AccessLogRow));
  }

  /** `appendMany` for a caller that reads nothing back (the writer): the records cost every request. */
  async write(entries: readonly AccessLogInput[]): Promise<void> {
    await this.#appendRows(entries);
  }

  #appendRows(entries: readonly AccessLogInput[]): Promise<readonly ChainedRow[]> {
    if (entries.length === 0) return Promise.resolve([]);
    const appended = this.#tail.then(() => this.#appendNext(entries.map(storableEntry)));
    this.#tail = appended.catch(() => undefined);
    return appended;
  }

  async #appendNext(entries: readonly StorableEntry[]): Promise<readonly ChainedRow[]> {
    const columns = await this.#columnsOfTable();
    let rows: ChainedRow[] | null = null;
    if (this.#head) {
      const chained = chain(this.#head, entries);
      // Inserts nothing when another appender holds the lock, and fails, inserting nothing, when
      // another process has appended since: see the class comment. One that ran out of time (a
      // lock held elsewhere, a server slow to answer) is not such a race: the careful way would
      // only wait as long again, so the caller learns it now. A connection lost is tried the careful
      // way, on another one.
      const inserted = await this.#usualInsert(columns, chained).catch((error: unknown) => {
        if (ranOutOfTime(error)) throw error;
        return 0;
      });
      if (inserted === chained.length) rows = chained;
    }
    rows ??= await this.#prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${Prisma.raw(String(APPEND_LOCK_KEY))})`;
      const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
        SELECT "seq", "hash" FROM "access_log" ORDER BY "seq" DESC LIMIT 1`;
      const chained = chain(head ? { seq: Number(head.seq), hash: head.hash } : null, entries);
      await tx.$executeRaw(insertRows(columns, chained));
      return chained;
    }, TRANSACTION_OPTIONS);
    const last = rows.at(-1)!;
    this.#head = { seq: Number(last.seq), hash: last.hash };
    return rows;
  }

  /** The table's columns, read once (again after a failure): the insert names every one of them. */
  #columnsOfTable(): Promise<readonly Column[]> {
    this.#columns ??= readColumns(this.#prisma).catch((error: unknown) => {
      this.#columns = null;
      throw error;
    });
    return this.#columns;
  }

  /**
   * Resolves when an entry could be appended now: appends one the careful way and rolls it back.
   * How a stopped writer learns the store takes writes again — a read alone would call a log
   * that refuses inserts (a full disk, a revoked grant, a constraint) writable.
   */
  async probe(): Promise<void> {
    const columns = await this.#columnsOfTable();
    await this.#prisma
      .$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(${Prisma.raw(String(APPEND_LOCK_KEY))})`;
        const [head] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
          SELECT "seq", "hash" FROM "access_log" ORDER BY "seq" DESC LIMIT 1`;
        await tx.$executeRaw(
          insertRows(
            columns,
            chain(head ? { seq: Number(head.seq), hash: head.hash } : null, [storableEntry(PROBE_ENTRY)]),
          ),
        );
        throw new ProbeRolledBack();
      }, TRANSACTION_OPTIONS)
      .catch((error: unknown) => {
        if (!(error instanceof ProbeRolledBack)) throw error;
      });
  }

  /** Newest first, keyset-paged by seq, so entries appended meanwhile never shift a page. */
  async query(filter: AccessLogFilter, page: AccessLogPageRequest): Promise<AccessLogPage> {
    const where: Prisma.AccessLogEntryWhereInput[] = [];
    if (filter.subject !== undefined)
      where.push({ subjects: { hasSome: [filter.subject, ...(filter.subjectAliases ?? [])] } });
    if (filter.authorityCode !== undefined) where.push({ authorityCode: filter.authorityCode });
    if (filter.from !== undefined) where.push({ at: { gte: filter.from } });
    if (filter.to !== undefined) where.push({ at: { lt: filter.to } });
    if (page.after !== undefined) where.push({ seq: { lt: BigInt(ACCESS_LOG_CURSOR.decode(page.after)) } });
    const rows = await this.#prisma.accessLogEntry.findMany({
      where: { AND: where },
      orderBy: { seq: 'desc' },
      take: page.first + 1,
    });
    const items = rows.slice(0, page.first).map(toRecord);
    const last = items.at(-1);
    return {
      items,
      endCursor: last ? ACCESS_LOG_CURSOR.encode(last.seq) : null,
      hasNextPage: rows.length > page.first,
    };
  }
}

/** Thrown to roll the probe's insert back. */
class ProbeRolledBack extends Error {}

/** What the probe inserts and rolls back; never committed. */
const PROBE_ENTRY: AccessLogInput = {
  at: new Date(0),
  durationMs: 0,
  callerSubject: 'access-log-probe',
  issuer: 'access-log-probe',
  authorityCode: 'access-log-probe',
  roles: [],
  purpose: null,
  operationName: null,
  queryHash: '',
  subjects: [],
  conditionalFields: [],
  notSharedFields: [],
  deniedFields: [],
  conditionalGrants: {},
  outcome: 'OK',
};

/**
 * An entry as it will be stored, before it has a place in the chain: every column but `seq`,
 * `hashVersion`, `prevHash` and `hash`, keyed by the Prisma model's field names.
 */
type StorableEntry = Readonly<Record<string, unknown>>;

/** A row as inserted and as read back: what `storedEntryHash` covers, plus the hash. */
export interface ChainedRow extends Record<string, unknown> {
  seq: bigint;
  hashVersion: number;
  prevHash: string;
  hash: string;
}

function chain(head: { seq: number; hash: string } | null, entries: readonly StorableEntry[]): ChainedRow[] {
  let seq = BigInt(head?.seq ?? 0);
  let prevHash = head?.hash ?? GENESIS_HASH;
  return entries.map((entry) => {
    seq += 1n;
    // Typed as the database gives it back (seq a bigint), so writer and verifier hash alike.
    // The chain's fields first: V8 adds a property after a spread slowly (about 3 µs each, measured),
    // and set again after it, so they win over any the entry carries, as they did written last.
    const row: ChainedRow = { seq, hashVersion: CURRENT_HASH_VERSION, prevHash, hash: '', ...entry };
    row.seq = seq;
    row.hashVersion = CURRENT_HASH_VERSION;
    row.prevHash = prevHash;
    row.hash = storedEntryHash(row); // which covers every field but `hash`
    prevHash = row.hash;
    return row;
  });
}

/**
 * The entry exactly as the database will hold it, so the hash covers what is stored: every
 * string well-formed, without NUL and of bounded length, whole milliseconds and an integer
 * duration (see access-log-storable.ts). Columns added later need no change here: every field of
 * the entry is made storable, and `readColumns` requires one for every column.
 */
function storableEntry(entry: AccessLogInput): StorableEntry {
  // Its defaults set on the storable copy (none of them a text to repair): one copy, not two.
  const storable = storableValue(entry) as unknown as Record<string, unknown>;
  storable['durationMs'] = Math.max(0, Math.round(entry.durationMs));
  storable['conditionalGrants'] ??= {};
  storable['clientAddress'] ??= null;
  storable['reason'] ??= null;
  storable['traceId'] ??= null;
  return storable;
}

export interface Column {
  name: string;
  /** The Prisma model's name for it: the column's snake_case in camelCase. */
  field: string;
  /** The SQL type a value is cast to, e.g. `text[]`. */
  cast: string;
}

/**
 * The access log's columns in table order. Every column gets a value from each row, so a column
 * added by a migration is inserted and hashed as soon as the entry carries it, and an entry that
 * forgets it fails loudly here instead of leaving the column to its default, unhashed.
 */
async function readColumns(prisma: PrismaClient): Promise<readonly Column[]> {
  const rows = await prisma.$queryRaw<{ name: string; udt: string }[]>`
    SELECT column_name AS name, udt_name AS udt FROM information_schema.columns
    WHERE table_schema = current_schema() AND table_name = 'access_log' ORDER BY ordinal_position`;
  if (rows.length === 0) throw new Error('the store has no access_log table');
  return rows.map(({ name, udt }) => {
    const cast = udt.startsWith('_') ? `${udt.slice(1)}[]` : udt;
    if (!/^[a-z0-9_]+$/.test(name) || name === '__proto__' || !/^[a-z0-9_]+(\[\])?$/.test(cast))
      throw new Error(`access_log column ${name} of type ${udt} is not supported`);
    return { name, field: name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase()), cast };
  });
}

/**
 * The chained rows as a statement's rows, in the form that costs the database least for their
 * number (measured on PGlite, bench/notes/fixed.md). A batch goes as one JSON parameter (an
 * array of objects keyed by column name) that `jsonb_populate_recordset` expands into rows of
 * the table's own type: with 22 columns, 16 rows as typed parameters were 352 values to
 * serialise, cast and plan, on a statement text that changed with the batch's size, and cost a
 * fifth more per row. A lone entry (a quiet gateway, most refusals) goes as a typed VALUES row,
 * where the function's own setup would cost more than its 22 parameters. Both give each column
 * its value through the column type's input, so what is stored and hashed is the same. Every
 * entry field must have a column and every column a field, checked here: the function would drop
 * the one and null the other silently.
 */
function rowsOf(columns: readonly Column[], rows: readonly ChainedRow[]): Prisma.Sql {
  const values = rowValues(columns, rows);
  if (rows.length === 1)
    return Prisma.sql`VALUES (${Prisma.join(
      columns.map((column, i) => Prisma.sql`${values[i]}::${Prisma.raw(column.cast)}`),
    )})`;
  return Prisma.sql`SELECT ${columnList(columns)} FROM jsonb_populate_recordset(NULL::"access_log", ${values[0]}::jsonb)`;
}

/** The values of `rowsOf`'s statement, in order: a lone row's typed parameters, or a batch's one JSON text. */
function rowValues(columns: readonly Column[], rows: readonly ChainedRow[]): unknown[] {
  const fields = fieldsOf(columns);
  const byColumn = rows.map((row) => {
    const extra = Object.keys(row).filter((field) => !fields.has(field));
    if (extra.length > 0) throw new Error(`access_log has no column for ${extra.join(', ')}: add a migration`);
    return columns.map((column) => parameter(row, column));
  });
  if (byColumn.length === 1) return columns.map((column, i) => textOrJson(column, byColumn[0]![i]));
  return [batchJson(columns, byColumn)];
}

/** The Prisma model's names of the columns, by the columns (read once per AccessLog). */
function fieldsOf(columns: readonly Column[]): ReadonlySet<string> {
  let fields = fieldsByColumns.get(columns);
  if (!fields) fieldsByColumns.set(columns, (fields = new Set(columns.map((column) => column.field))));
  return fields;
}

const fieldsByColumns = new WeakMap<readonly Column[], ReadonlySet<string>>();

/**
 * The batch's rows as JSON, an object per row keyed by column name: built by assignment in
 * column order (objects of one shape, which V8 builds and JSON.stringify writes fastest), the
 * same JSON as objects from `Object.fromEntries` (a `__proto__` column, which assignment would
 * lose, is refused by `readColumns`).
 */
function batchJson(columns: readonly Column[], byColumn: readonly (readonly unknown[])[]): string {
  return JSON.stringify(
    byColumn.map((values) => {
      const row: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i += 1) row[columns[i]!.name] = values[i];
      return row;
    }),
  );
}

function parameter(row: ChainedRow, column: Column): unknown {
  if (!(column.field in row))
    throw new Error(`access_log column ${column.name} has no value: the entry must carry ${column.field}`);
  const value = row[column.field];
  // JSON has no bigint (seq); its decimal text is what int8's input reads, as a parameter's is.
  return typeof value === 'bigint' ? value.toString() : (value ?? null);
}

/** A typed parameter's value: a json(b) column's as its JSON text. */
function textOrJson(column: Column, value: unknown): unknown {
  return column.cast === 'jsonb' || column.cast === 'json' ? JSON.stringify(value) : value;
}

function columnList(columns: readonly Column[]): Prisma.Sql {
  return Prisma.raw(columns.map((column) => `"${column.name}"`).join(', '));
}

/** One INSERT of the chained rows; cheaper than the ORM's createMany on this per-request path. */
function insertRows(columns: readonly Column[], rows: readonly ChainedRow[]): Prisma.Sql {
  return Prisma.sql`INSERT INTO "access_log" (${columnList(columns)}) ${rowsOf(columns, rows)}`;
}

/**
 * The same INSERT as one statement (its own transaction) that first takes the appenders' lock if
 * it is free, and inserts nothing if it is not: so it never slips in between another appender's
 * read of the head and its insert.
 */
function insertRowsIfUnlocked(columns: readonly Column[], rows: readonly ChainedRow[]): Prisma.Sql {
  return Prisma.sql`INSERT INTO "access_log" (${columnList(columns)})
    SELECT * FROM (${rowsOf(columns, rows)}) AS batch
    WHERE (SELECT pg_try_advisory_xact_lock(${Prisma.raw(String(APPEND_LOCK_KEY))}))`;
}

/**
 * The usual append's statement as text and values. Its text depends only on the columns, the
 * form (a lone row or a batch) and whether it takes the lock, so Prisma composes it once for
 * each; every append builds only its values. The same text and values as the Prisma.Sql.
 */
export function usualStatement(
  columns: readonly Column[],
  rows: readonly ChainedRow[],
  oneConnection: boolean,
): { text: string; values: unknown[] } {
  const values = rowValues(columns, rows);
  let texts = statementTexts.get(columns);
  if (!texts) statementTexts.set(columns, (texts = new Map()));
  const form = `${rows.length === 1 ? 'lone' : 'batch'} ${oneConnection ? 'unlocked' : 'locked'}`;
  let text = texts.get(form);
  if (text === undefined) {
    text = (oneConnection ? insertRows : insertRowsIfUnlocked)(columns, rows).text;
    texts.set(form, text);
  }
  return { text, values };
}

/** Statement texts by the columns they name (read once per AccessLog) and form. */
const statementTexts = new WeakMap<readonly Column[], Map<string, string>>();

function toRecord(row: AccessLogRow): AccessRecord {
  return {
    ...row,
    seq: Number(row.seq),
    at: formatChinaInstant(row.at.getTime()),
    conditionalGrants: conditionalGrantsOf(row.conditionalGrants),
  };
}

/** The stored coordinate → grant map as read back; anything else (only an edited row) is kept visible as text. */
function conditionalGrantsOf(stored: unknown): Record<string, string> {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return { '': JSON.stringify(stored) };
  const entries = Object.entries(stored as Record<string, unknown>);
  if (entries.some(([, value]) => typeof value !== 'string')) return { '': JSON.stringify(stored) };
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Keyset position in the access log: the seq of the last entry shown (entries are numbered from 1). */
const ACCESS_LOG_CURSOR = cursorCodec<number>({
  kind: 'access-log',
  version: 1,
  toParts: (seq) => [seq],
  fromParts: ([seq, ...rest]) =>
    rest.length === 0 && typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : null,
});
