import { type FeedPosition, decodeCursor, encodeCursor } from './cursor.ts';
import { RawJson } from './raw-json.ts';
import { SimError, badRequest } from './sim-error.ts';

export type Rendered = Record<string, unknown>;

/** How one system exposes one kind of world record. */
export interface ResourceDefinition<T> {
  /** The name `/__sim/mutate` uses, e.g. `permit`. */
  name: string;
  records: readonly T[];
  id(record: T): string;
  updatedAt(record: T): number;
  render(record: T): Rendered;
  /** Upstream field names: the natural id and the update time. */
  idField: string;
  updatedField: string;
  formatUpdated(ms: number): unknown;
  /**
   * Upstream fields a batch request may look records up by, each with how to read it from a
   * world record without rendering the whole record (mutated records are read as rendered).
   */
  lookups: Readonly<Record<string, (record: T) => string | null>>;
}

/** Most keys match one record, so a lone row is stored without an array around it. */
type IndexEntry<T> = Row<T> | Row<T>[];

interface Row<T> {
  id: string;
  /** Position in natural-id order; lookups sort by it. */
  rank: number;
  updatedAt: number;
  source: T;
  /** Set once a mutation has changed the record; it then wins over `source`. */
  rendered: Rendered | null;
  json: RawJson | null;
}

export interface FeedAnswer {
  items: RawJson[];
  nextCursor: string;
  hasMore: boolean;
}

/** What the routes read from a store, whatever the record type. */
export interface QueryableResource {
  readonly total: number;
  /** The fields a batch may look records up by. */
  readonly lookupFields: readonly string[];
  page(offset: number, limit: number): RawJson[];
  pageWhere(field: string, value: string, offset: number, limit: number): { total: number; items: RawJson[] };
  lookup(field: string, values: readonly string[]): RawJson[];
  changes(cursor: string | null, limit: number): FeedAnswer;
}

/** Told of every record a store changes or adds, as rendered, with its new update time. */
export type ChangeListener = (rendered: Rendered, updatedAt: number) => void;

/** The part of a store `/__sim/mutate` needs, whatever the record type. */
export interface MutableResource {
  readonly name: string;
  mutate(id: string, patch: unknown): void;
  /** Lets another outlet of the system (its 前置库 exchange database) follow every change. */
  onChange(listener: ChangeListener): void;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isAfter(row: { updatedAt: number; id: string }, position: FeedPosition): boolean {
  return row.updatedAt > position.updatedAt || (row.updatedAt === position.updatedAt && row.id > position.id);
}

function lookupKey(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * One resource of one simulated system: records in natural-id order for paging, indexed by
 * every lookup field for batches, ordered by (update time, id) for the change feed. Each
 * record is rendered to JSON once, on first use, and the text is reused.
 */
export class ResourceStore<T> implements QueryableResource, MutableResource {
  readonly name: string;
  readonly lookupFields: readonly string[];
  private readonly rows: Row<T>[];
  private readonly feed: Row<T>[];
  private readonly indexes = new Map<string, Map<string, IndexEntry<T>>>();
  private readonly listeners: ChangeListener[] = [];

  constructor(private readonly definition: ResourceDefinition<T>) {
    this.name = definition.name;
    this.lookupFields = Object.keys(definition.lookups);
    this.rows = definition.records.map((source) => ({
      id: definition.id(source),
      rank: 0,
      updatedAt: definition.updatedAt(source),
      source,
      rendered: null,
      json: null,
    }));
    this.rows.sort((a, b) => compareIds(a.id, b.id));
    // The id is always indexed: mutate finds records through it.
    const lookups = Object.entries({ [definition.idField]: definition.id, ...definition.lookups });
    for (const [field] of lookups) this.indexes.set(field, new Map());
    this.rows.forEach((row, rank) => {
      row.rank = rank;
      for (const [field, read] of lookups) this.addToIndex(field, read(row.source), row);
    });
    this.feed = [...this.rows].sort((a, b) => a.updatedAt - b.updatedAt || compareIds(a.id, b.id));
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  get total(): number {
    return this.rows.length;
  }

  page(offset: number, limit: number): RawJson[] {
    return this.rows.slice(offset, offset + limit).map((row) => this.json(row));
  }

  /** Records whose lookup field equals `value`, paged, for filtered listings. */
  pageWhere(field: string, value: string, offset: number, limit: number): { total: number; items: RawJson[] } {
    const matches = this.matches(this.indexes.get(field), value);
    return { total: matches.length, items: matches.slice(offset, offset + limit).map((row) => this.json(row)) };
  }

  /** Every record whose `field` equals one of `values`, in natural-id order, each once. */
  lookup(field: string, values: readonly string[]): RawJson[] {
    const index = this.indexes.get(field);
    if (!index) throw badRequest(`cannot look ${this.name} records up by '${field}'`);
    const found: Row<T>[] = [];
    for (const value of values) {
      const entry = index.get(value);
      if (entry === undefined) continue;
      if (Array.isArray(entry)) for (const row of entry) found.push(row);
      else found.push(entry);
    }
    found.sort((a, b) => a.rank - b.rank);
    const out: RawJson[] = [];
    let previous: Row<T> | null = null;
    for (const row of found) {
      if (row !== previous) out.push(this.json(row));
      previous = row;
    }
    return out;
  }

  changes(cursor: string | null, limit: number): FeedAnswer {
    const position = decodeCursor(cursor);
    let low = 0;
    let high = this.feed.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isAfter(this.feed[mid]!, position)) high = mid;
      else low = mid + 1;
    }
    const rows = this.feed.slice(low, low + limit);
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => this.json(row)),
      nextCursor: encodeCursor(last ? { updatedAt: last.updatedAt, id: last.id } : position),
      hasMore: low + rows.length < this.feed.length,
    };
  }

  /**
   * Applies a patch in the system's own format and moves the record to the end of the change
   * feed: its update time becomes now, or just after the newest record if that is later.
   */
  mutate(id: string, patch: unknown): void {
    const row = this.matches(this.indexes.get(this.definition.idField), id)[0];
    if (!row) throw new SimError(404, `no ${this.name} with id '${id}'`);
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
      throw badRequest("patch must be an object of fields in the system's own format");
    }
    const rendered = row.rendered ?? this.definition.render(row.source);
    for (const key of Object.keys(patch)) {
      if (!(key in rendered)) throw badRequest(`${this.name} has no field '${key}'`);
      if (key === this.definition.idField) throw badRequest(`'${key}' identifies the record and cannot be changed`);
    }
    for (const field of this.indexes.keys()) this.removeFromIndex(field, lookupKey(rendered[field]), row);
    Object.assign(rendered, patch);
    const newest = this.feed[this.feed.length - 1]!.updatedAt;
    const updatedAt = Math.max(Math.floor(Date.now() / 1000) * 1000, newest + 1000);
    rendered[this.definition.updatedField] = this.definition.formatUpdated(updatedAt);
    for (const field of this.indexes.keys()) this.addToIndex(field, lookupKey(rendered[field]), row);
    this.feed.splice(this.feed.indexOf(row), 1);
    row.updatedAt = updatedAt;
    row.rendered = rendered;
    row.json = null;
    this.feed.push(row);
    for (const listener of this.listeners) listener(rendered, updatedAt);
  }

  /**
   * The update time a record written now gets: now, or just after the newest record if that is
   * later, so the change feed stays ordered.
   */
  nextUpdateTime(): number {
    const newest = this.feed[this.feed.length - 1]?.updatedAt ?? 0;
    return Math.max(Math.floor(Date.now() / 1000) * 1000, newest + 1000);
  }

  /** Adds a new record (its update time from `nextUpdateTime`): it joins listings, lookups and the end of the change feed. */
  insert(record: T): void {
    const id = this.definition.id(record);
    if (this.matches(this.indexes.get(this.definition.idField), id).length > 0)
      throw new SimError(409, `${this.name} '${id}' exists`);
    const row: Row<T> = {
      id,
      rank: 0,
      updatedAt: this.definition.updatedAt(record),
      source: record,
      rendered: null,
      json: null,
    };
    let at = this.rows.length;
    while (at > 0 && compareIds(this.rows[at - 1]!.id, id) > 0) at--;
    this.rows.splice(at, 0, row);
    for (let rank = at; rank < this.rows.length; rank++) this.rows[rank]!.rank = rank;
    const lookups = Object.entries({ [this.definition.idField]: this.definition.id, ...this.definition.lookups });
    for (const [field, read] of lookups) this.addToIndex(field, read(record), row);
    this.feed.push(row);
    if (this.listeners.length > 0) {
      const rendered = this.definition.render(record);
      for (const listener of this.listeners) listener(rendered, row.updatedAt);
    }
  }

  private json(row: Row<T>): RawJson {
    row.json ??= new RawJson(JSON.stringify(row.rendered ?? this.definition.render(row.source)));
    return row.json;
  }

  private matches(index: Map<string, IndexEntry<T>> | undefined, value: string): Row<T>[] {
    const entry = index?.get(value);
    if (entry === undefined) return [];
    return Array.isArray(entry) ? entry : [entry];
  }

  /** Keeps each key's rows in rank order, so lookups need no sort for a single key. */
  private addToIndex(field: string, key: string | null, row: Row<T>): void {
    if (key === null) return;
    const index = this.indexes.get(field)!;
    const entry = index.get(key);
    if (entry === undefined) {
      index.set(key, row);
      return;
    }
    const list = Array.isArray(entry) ? entry : [entry];
    let at = list.length;
    while (at > 0 && list[at - 1]!.rank > row.rank) at--;
    list.splice(at, 0, row);
    index.set(key, list);
  }

  private removeFromIndex(field: string, key: string | null, row: Row<T>): void {
    if (key === null) return;
    const index = this.indexes.get(field)!;
    const entry = index.get(key);
    if (entry === row) index.delete(key);
    else if (Array.isArray(entry) && entry.includes(row)) entry.splice(entry.indexOf(row), 1);
  }
}
