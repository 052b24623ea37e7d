import { createHash } from 'node:crypto';

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
  /** For each conditional field read under a grant: coordinate → the grant's id; absent means none. */
  conditionalGrants?: Readonly<Record<string, string>>;
  outcome: string;
}

/** The `prevHash` of entry 1: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The text an entry's hash covers: JSON with the keys below in this (lexicographic) order, no
 * whitespace, exactly as ECMAScript's JSON.stringify writes it (strings UTF-8 with only `"`, `\`
 * and control characters escaped; lone surrogates as `\udxxx`). Values:
 * - `seq` as a decimal string (it is a bigint column);
 * - `at` as `Date.prototype.toISOString()`: UTC, always three fraction digits, `Z`;
 * - `durationMs` as an integer;
 * - `purpose` and `operationName` as a string or null;
 * - arrays of strings in the order given (not sorted: the order is part of what was recorded);
 * - `conditionalGrants` as an object with its keys sorted, and left out entirely when empty, so
 *   entries written before the column existed hash as they always did.
 * The chain's links (`prevHash`, `hash`) are not inside; see `entryHash`.
 *
 * This is the contract `audit:verify` and any independent checker rely on: change it and every
 * stored hash stops verifying, so a new form would need a version marker first.
 */
export function canonicalEntry(seq: number | bigint, fields: AccessLogFields): string {
  const read = fields.conditionalGrants ?? {};
  const grants = Object.keys(read).sort();
  return JSON.stringify({
    at: fields.at.toISOString(),
    authorityCode: fields.authorityCode,
    callerSubject: fields.callerSubject,
    conditionalFields: fields.conditionalFields,
    ...(grants.length > 0 ? { conditionalGrants: Object.fromEntries(grants.map((key) => [key, read[key]])) } : {}),
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

/**
 * The `conditional_grants` column as read back (JSON), as the entry's map. Anything that is not
 * an object of strings is kept as its JSON text under "", so an edited column still fails its hash.
 */
export function conditionalGrantsOf(stored: unknown): Record<string, string> {
  if (stored === null || typeof stored !== 'object' || Array.isArray(stored)) return { '': JSON.stringify(stored) };
  const entries = Object.entries(stored as Record<string, unknown>);
  if (entries.some(([, value]) => typeof value !== 'string')) return { '': JSON.stringify(stored) };
  return Object.fromEntries(entries) as Record<string, string>;
}

/** `sha256(prevHash + canonicalEntry(seq, fields))`, lowercase hex; prevHash is its hex text. */
export function entryHash(prevHash: string, seq: number | bigint, fields: AccessLogFields): string {
  return sha256(prevHash + canonicalEntry(seq, fields));
}

/**
 * The `queryHash` of an operation: sha256 of the normalised query text (the caller normalises,
 * e.g. graphql's `stripIgnoredCharacters(print(document))`), a newline, and the variables as
 * JSON with object keys sorted, so the same request always hashes alike.
 */
export function hashQuery(normalisedQuery: string, variables: Readonly<Record<string, unknown>> | null | undefined): string {
  return sha256(`${normalisedQuery}\n${JSON.stringify(variables ?? {}, sortedKeys)}`);
}

function sortedKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
