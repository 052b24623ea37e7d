import type { ConverterName, NormaliserName } from './converters.ts';

/**
 * An agency profile as read from `profiles/<system>.yaml` after validation against
 * `profiles/agency-profile.schema.json`; these types mirror that schema.
 */
export interface AgencyProfile {
  /** The system's name in errors, metrics and `unavailableSystems`. */
  system: string;
  description?: string;
  transport: HttpTransportSpec;
  /**
   * The system's 前置库 exchange database, read instead of `transport` when the environment
   * variable `urlEnv` names one; the mappings read its rows exactly as they read the API's records.
   */
  sqlTransport?: SqlTransportSpec;
  resilience?: ResilienceSpec;
  /** Closed tables from the agency's codes or labels to domain values. */
  codeTables?: Record<string, Record<string, string>>;
  /** Domain record kinds built from the transport's resources. */
  mappings: Record<string, MappingSpec>;
  /**
   * This source's own id when several serve one system (a provincial platform beside the county's):
   * named when it fails and keyed for its change-feed cursor. Default: `system`.
   */
  source?: string;
}

export interface ResilienceSpec {
  timeoutMs?: number;
  retries?: number;
  deadlineMs?: number;
  breaker?: { threshold: number; halfOpenAfterMs: number };
  bulkhead?: { maxConcurrent: number; maxQueued: number };
}

export interface HttpTransportSpec {
  kind: 'http';
  /** Environment variable holding the system's base URL. */
  baseUrlEnv: string;
  headers?: HeaderSpec[];
  envelope: EnvelopeSpec;
  paging: PagingSpec;
  changeFeed: ChangeFeedSpec;
  /** Keys one batch request may carry; the default is the agencies' 200. */
  maxBatchKeys?: number;
  resources: Record<string, HttpResourceSpec>;
  /** The resource whose first one-record page proves the system answers. */
  pingResource: string;
  /**
   * Small reference tables (regions, organisations, code lists) read whole by one GET answering
   * an array of records: the table's name as mappings name it, and its path.
   */
  referenceTables?: Record<string, string>;
}

export interface SqlTransportSpec {
  kind: 'sql';
  /** Environment variable holding the database URL (`mysql://user:password@host:3306/database`). */
  urlEnv: string;
  /** Each resource (as the mappings name it) and the table holding it. */
  resources: Record<string, SqlTableSpec>;
}

/** One resource's table: same shape as the transport's `SqlResourceTable`. */
export interface SqlTableSpec {
  table: string;
  /** Identifies a row: the stable order of pages and the change feed's tie-break. */
  idColumn: string;
  /** When the row was last written: the change feed follows it. */
  updatedColumn: string;
  /** Each raw field path the mappings read (`sxmd.zt` for a nested one) and the column holding it. */
  fields: Record<string, string>;
}

/** A header from an environment variable, or from a file whose path one names (a mounted secret). */
export interface HeaderSpec {
  name: string;
  env?: string;
  fileEnv?: string;
}

export interface EnvelopeSpec {
  /** Path of the success marker; the answer is a failure unless it holds one of `okValues`. */
  statusPath: string;
  okValues: (string | number | boolean)[];
  dataPath: string;
  messagePath?: string;
}

export type PagingSpec =
  | { style: 'page'; pageParam: string; sizeParam: string; totalPath: string; itemsPath: string }
  | { style: 'offset'; offsetParam: string; limitParam: string; totalPath: string; itemsPath: string };

export interface ChangeFeedSpec {
  cursorParam: string;
  limitParam: string;
  itemsPath: string;
  nextCursorPath: string;
  hasMorePath: string;
}

export interface HttpResourceSpec {
  list: string;
  changes: string;
  batch: BatchSpec;
}

/**
 * How a batch lookup is asked: `{ <fieldParam>: field, <valuesParam>: [..] }`, or one body key
 * per looked-up field (`{ usccs: [..] }`).
 */
export type BatchSpec =
  | { path: string; style: 'field-and-values'; fieldParam: string; valuesParam: string; fields: string[] }
  | { path: string; style: 'key-per-field'; keys: Record<string, string> };

export interface MappingSpec {
  resource: string;
  /** Path of the record's own id, named in the warning when the record is dropped. */
  id: string;
  fields: Record<string, FieldSpec>;
}

/** A bare string is a required text at that path. */
export type FieldSpec = string | FieldRule;

export interface FieldRule {
  /** Dotted path in the raw record (relative to the enclosing `from`). */
  from?: string;
  convert?: ConverterName;
  /** A code table's name: the value must be one of its codes. */
  code?: string;
  /** A code table's name, for a separated list of codes (`"1,2"`). */
  codes?: string;
  separator?: string;
  /** With `codes`: an empty text is an empty list (no codes), not an unmappable record. */
  allowEmpty?: boolean;
  normalize?: NormaliserName[];
  /**
   * Null or absent reads as `default` (null unless given) instead of dropping the record. On an
   * `object` without `from`: the object is null when every field it reads is null or absent.
   */
  optional?: boolean;
  default?: unknown;
  /** A fixed value, the raw record aside. */
  const?: unknown;
  /** A nested object built by these rules (from `from`, or from the same record without it). */
  object?: Record<string, FieldSpec>;
  /** An array at `from` whose every element is built by these rules. */
  items?: Record<string, FieldSpec>;
}
