import { createHash, hash } from 'node:crypto';

/** What an entry says, without its place in the chain. */
export interface AccessLogFields {
  /** When the operation started. Stored and hashed to the millisecond. */
  at: Date;
  durationMs: number;
  callerSubject: string;
  issuer: string;
  authorityCode: string;
  roles: readonly string[];
  purpose: string | null;
  operationName: string | null;
  queryHash: string;
  subjects: readonly string[];
  conditionalFields: readonly string[];
  notSharedFields: readonly string[];
  deniedFields: readonly string[];
  /** For each conditional field read under a grant: coordinate → the grant's id. */
  conditionalGrants?: Readonly<Record<string, string>>;
  outcome: string;
  /** The client's network address, when the caller reached the gateway over HTTP. */
  clientAddress?: string | null;
  /** Why the operation was refused, if it was: see the `reason` column in schema.prisma. */
  reason?: string | null;
  /** The request's OpenTelemetry trace id, when it was traced. */
  traceId?: string | null;
}

/** The `prevHash` of entry 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash form new entries are written with; see `storedEntryHash`. */
export const CURRENT_HASH_VERSION = 2;

/** The fields hash version 1 covers, in the order of `canonicalEntry`. */
export const VERSION_1_FIELDS = [
  'at',
  'authorityCode',
  'callerSubject',
  'conditionalFields',
  'deniedFields',
  'durationMs',
  'issuer',
  'notSharedFields',
  'operationName',
  'outcome',
  'purpose',
  'queryHash',
  'roles',
  'seq',
  'subjects',
] as const;

/**
 * Hash version 1, kept so entries written before version 2 still verify. The text its hash
 * covers: JSON with the keys below in this (lexicographic) order, no whitespace, exactly as
 * ECMAScript's JSON.stringify writes it. Values:
 * - `seq` as a decimal string (it is a bigint column);
 * - `at` as `Date.prototype.toISOString()`: UTC, always three fraction digits, `Z`;
 * - `durationMs` as an integer;
 * - `purpose` and `operationName` as a string or null;
 * - arrays of strings in the order given (not sorted: the order is part of what was recorded).
 * The chain's links (`prevHash`, `hash`) are not inside; see `entryHash`.
 *
 * Its flaw, and why version 2 exists: it hashed the text it was given, not the text stored, so
 * a string PostgreSQL stores differently (a lone surrogate becomes U+FFFD) broke the chain.
 */
export function canonicalEntry(seq: number | bigint, fields: AccessLogFields): string {
  return JSON.stringify({
    at: fields.at.toISOString(),
    authorityCode: fields.authorityCode,
    callerSubject: fields.callerSubject,
    conditionalFields: fields.conditionalFields,
    deniedFields: fields.deniedFields,
    durationMs: fields.durationMs,
    issuer: fields.issuer,
    notSharedFields: fields.notSharedFields,
    operationName: fields.operationName,
    outcome: fields.outcome,
    purpose: fields.purpose,
    queryHash: fields.queryHash,
    roles: fields.roles,
    seq: String(seq),
    subjects: fields.subjects,
  });
}

/** Version 1: `sha256(prevHash + canonicalEntry(seq, fields))`, lowercase hex; prevHash is its hex text. */
export function entryHash(prevHash: string, seq: number | bigint, fields: AccessLogFields): string {
  return sha256(prevHash + canonicalEntry(seq, fields));
}

/**
 * Hash version 2: sha256 (lowercase hex) of `canonicalJson` of the entry exactly as stored —
 * every column the table has except `hash` itself (and a later column while null, see below), named as the Prisma model names them
 * (`prevHash`, `hashVersion`, `durationMs`, …), so a column added later is covered without a
 * change here. `stored` must be what the database holds and gives back (see
 * `access-log-storable.ts`): the writer hashes the row it inserts, the verifier the row it reads.
 */
export function storedEntryHash(stored: Readonly<Record<string, unknown>>): string {
  // Columns added after version 2 are left out while null, so an entry written before a column
  // existed (which reads back null there) keeps its hash; once set, the value is covered.
  return sha256(
    objectJson(
      stored,
      (key, value) => key === 'hash' || (NULLABLE_LATER_FIELDS.has(key) && value == null),
      rowKeys(stored),
    ),
  );
}

/** Nullable columns added to the access log after hash version 2 was introduced. */
const NULLABLE_LATER_FIELDS: ReadonlySet<string> = new Set(['traceId']);

/**
 * The canonical JSON of a stored value (RFC 8785 for the values a row holds): object keys sorted
 * by UTF-16 code units at every depth, no whitespace, strings as JSON.stringify escapes them,
 * integers in decimal. A Date is its `toISOString()` (UTC, milliseconds, `Z`), a bigint its
 * decimal string, undefined is null. Arrays keep their order: it is part of what was recorded.
 *
 * Written out directly rather than by JSON.stringify of sorted copies (the text every entry's
 * hash covers, so the copies cost every request), with JSON.stringify's own results: keys that
 * are array indices ('0', '7', '10') first in numeric order, as JSON.stringify writes any
 * object's; functions and symbols left out of objects and null in arrays.
 */
export function canonicalJson(value: unknown): string {
  return valueJson(value) as string;
}

function valueJson(value: unknown): string | undefined {
  if (value === undefined || value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isSafeInteger(value)) throw new Error(`the access log stores only integers, not ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return `"${value.toString()}"`;
    case 'object':
      if (value instanceof Date) return JSON.stringify(value.toISOString());
      if (Array.isArray(value)) return arrayJson(value);
      return objectJson(value as Record<string, unknown>, leaveNothingOut);
    default:
      return undefined;
  }
}

function arrayJson(items: readonly unknown[]): string {
  let json = '[';
  for (let i = 0; i < items.length; i += 1) json += `${i === 0 ? '' : ','}${valueJson(items[i]) ?? 'null'}`;
  return `${json}]`;
}

function objectJson(
  object: Readonly<Record<string, unknown>>,
  leaveOut: (key: string, value: unknown) => boolean,
  keys: readonly string[] = canonicalKeys(object),
): string {
  let json = '{';
  for (const key of keys) {
    const value = object[key];
    if (leaveOut(key, value)) continue;
    const inner = valueJson(value);
    if (inner === undefined) continue;
    json += `${json.length === 1 ? '' : ','}${JSON.stringify(key)}:${inner}`;
  }
  return `${json}}`;
}

const leaveNothingOut = (): boolean => false;

/** Own enumerable keys as JSON.stringify writes an object built from them in sorted order. */
function canonicalKeys(object: object): readonly string[] {
  const sorted = Object.keys(object).sort();
  return sorted.some(isArrayIndex) ? indicesFirst(sorted) : sorted;
}

/**
 * A row's canonical keys. Every row the log writes has the same keys in the same order, so they
 * are sorted once, not once per entry; only rows are remembered (a nested object such as
 * `conditionalGrants` would otherwise push the row's keys out before the next row).
 */
function rowKeys(row: object): readonly string[] {
  const keys = Object.keys(row);
  if (!sameKeys(keys, lastRowKeys.unsorted)) lastRowKeys = { unsorted: keys, sorted: canonicalKeys(row) };
  return lastRowKeys.sorted;
}

let lastRowKeys: { unsorted: readonly string[]; sorted: readonly string[] } = { unsorted: [], sorted: [] };

function sameKeys(keys: readonly string[], others: readonly string[]): boolean {
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i += 1) if (keys[i] !== others[i]) return false;
  return true;
}

function indicesFirst(sorted: readonly string[]): string[] {
  const indices = sorted.filter(isArrayIndex).sort((a, b) => Number(a) - Number(b));
  return [...indices, ...sorted.filter((key) => !isArrayIndex(key))];
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 48 && first <= 57)) return false;
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 2 ** 32 - 1;
}

/**
 * The `queryHash` of an operation: sha256 of the normalised query text (the caller normalises,
 * e.g. graphql's `stripIgnoredCharacters(print(document))`), a newline, and the variables as
 * JSON with object keys sorted, so the same request always hashes alike.
 */
export function hashQuery(
  /** The text, or its UTF-8 bytes (a document still in the request body it came in). */
  normalisedQuery: string | Uint8Array,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string {
  // Fed in two parts, the same bytes as the text joined: joining a document over 128 KB made V8
  // copy it into a new large-object string (mapped memory of its own), twice the hash's own cost.
  const hash = createHash('sha256');
  if (typeof normalisedQuery === 'string') hash.update(normalisedQuery, 'utf8');
  else hash.update(normalisedQuery);
  return hash.update(`\n${variablesJson(variables ?? {})}`, 'utf8').digest('hex');
}

/** How deep variables are written out in the hash when they are too deep to write whole. */
export const HASHED_VARIABLES_DEPTH = 64;

/**
 * The variables as JSON with sorted keys. Variables nested thousands of levels deep (two bytes a
 * level fit in any body) overflow the stack of a recursive JSON.stringify; every request must still
 * get its entry, so they are written out to `HASHED_VARIABLES_DEPTH` levels, anything deeper as
 * the text `[nested deeper]`. No variable the schema takes nests anywhere near that deep.
 */
function variablesJson(variables: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(variables, sortedKeys);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return JSON.stringify(cutAtDepth(variables, HASHED_VARIABLES_DEPTH), sortedKeys);
  }
}

function cutAtDepth(value: unknown, levelsLeft: number): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (levelsLeft === 0) return '[nested deeper]';
  if (Array.isArray(value)) return value.map((item: unknown) => cutAtDepth(item, levelsLeft - 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, cutAtDepth(item, levelsLeft - 1)]),
  );
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

/** One shot: a Hash object for each entry cost more than the hash itself. */
function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}
