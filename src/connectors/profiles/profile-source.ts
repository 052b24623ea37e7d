import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { AgencySystem } from '../../domain/types.ts';
import type { ResilientHttpOptions } from '../http/index.ts';
import { badRecordSink, mapRecords } from '../mapping/index.ts';
import type { BadRecordSink, DroppedRecordListener } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import { HttpRecordTransport } from '../transport/http-record-transport.ts';
import type { RecordTransport } from '../transport/record-transport.ts';
import { compileMapping, pathGetter } from './compile-mapping.ts';
import type { RecordMapper } from './compile-mapping.ts';
import { rawLookupPath } from './lookup-path.ts';
import { readProfileHeaders } from './profile-headers.ts';
import type { AgencyProfile, FieldSpec } from './profile-types.ts';

interface CompiledMapping {
  resource: string;
  map: RecordMapper;
  idOf: (raw: unknown) => unknown;
  fields: Record<string, FieldSpec>;
}

/**
 * One agency system driven by its profile: reads raw records through a transport and maps
 * them with the profile's compiled mappings, dropping (and reporting) records it cannot map.
 */
export class ProfileSource {
  readonly system: AgencySystem;
  /** Which of the system's sources this is (`profile.source`, or the system's own name). */
  readonly source: string;
  private readonly mappings = new Map<string, CompiledMapping>();
  private sink: BadRecordSink;

  constructor(
    profile: AgencyProfile,
    readonly transport: RecordTransport,
    options: Pick<ResilientHttpOptions, 'metrics' | 'logger' | 'onDroppedRecord'>,
  ) {
    this.system = profile.system as AgencySystem;
    this.source = profile.source ?? profile.system;
    this.sink = badRecordSink(this.system, options);
    for (const [name, mapping] of Object.entries(profile.mappings)) {
      this.mappings.set(name, {
        resource: mapping.resource,
        map: compileMapping(mapping.fields, profile.codeTables ?? {}),
        idOf: pathGetter(mapping.id),
        fields: mapping.fields,
      });
    }
  }

  /** Who writes this source's change-feed cursors: its transport. */
  get cursorOrigin(): string {
    return this.transport.cursorOrigin;
  }

  /**
   * This source reporting its dropped records to `onDroppedRecord` (one request's warnings)
   * instead: the same transport, mappings and counters, so breaker and bulkhead stay shared.
   */
  reportingTo(onDroppedRecord: DroppedRecordListener): ProfileSource {
    const view = Object.create(this) as ProfileSource;
    view.sink = { ...this.sink, onDropped: onDroppedRecord };
    return view;
  }

  /** Records of `mapping` whose raw `field` is one of `keys` (deduplicated, batched by the transport). */
  async by<T>(mapping: string, field: string, keys: readonly string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    const compiled = this.mapping(mapping);
    return this.map<T>(compiled, await this.transport.fetchBy(compiled.resource, field, keys));
  }

  /**
   * Records of `mapping` whose domain field `domainPath` (`subject.value`) is one of `keys`: the
   * same question asked of any source, each answering it by the raw field its mapping reads.
   */
  lookup<T>(mapping: string, domainPath: string, keys: readonly string[]): Promise<T[]> {
    return this.by<T>(mapping, this.lookupField(mapping, domainPath), keys);
  }

  /** The raw field a lookup by `domainPath` asks the transport for; throws when the profile has none. */
  lookupField(mapping: string, domainPath: string): string {
    const compiled = this.mapping(mapping);
    return rawLookupPath(compiled.fields, domainPath);
  }

  list<T>(mapping: string, page: PageRequest): Promise<Page<T>> {
    return this.listFrom<T>(mapping, (page.page - 1) * page.pageSize, page.pageSize);
  }

  /** `limit` records from `offset` on (a page across several sources starts anywhere in one). */
  async listFrom<T>(mapping: string, offset: number, limit: number): Promise<Page<T>> {
    const compiled = this.mapping(mapping);
    const raw = await this.transport.list(compiled.resource, offset, limit);
    return { total: raw.total, items: this.map<T>(compiled, raw.items) };
  }

  async changes<T>(mapping: string, cursor: string | null, limit: number): Promise<FeedPage<T>> {
    const compiled = this.mapping(mapping);
    const raw = await this.transport.changes(compiled.resource, cursor, limit);
    // A feed with nothing new may have no cursor to give; staying where we are is then right.
    return {
      items: this.map<T>(compiled, raw.items),
      nextCursor: raw.nextCursor ?? cursor ?? '',
      hasMore: raw.hasMore,
    };
  }

  /** Every record of a mapping over a reference table (read whole: regions, organisations, power lists). */
  async all<T>(mapping: string): Promise<T[]> {
    const compiled = this.mapping(mapping);
    if (!this.transport.fetchAll) throw new Error(`the ${this.system} transport reads no reference tables`);
    return this.map<T>(compiled, await this.transport.fetchAll(compiled.resource));
  }

  ping(): Promise<void> {
    return this.transport.ping();
  }

  /** Releases the transport's connections, when it holds any (a 前置库 pool). */
  async close(): Promise<void> {
    await this.transport.close?.();
  }

  private map<T>(compiled: CompiledMapping, raws: readonly unknown[]): T[] {
    return mapRecords(raws, compiled.map as RecordMapper<T>, {
      sink: this.sink,
      resource: compiled.resource,
      idOf: compiled.idOf,
    });
  }

  private mapping(name: string): CompiledMapping {
    const compiled = this.mappings.get(name);
    if (!compiled) throw new Error(`the ${this.system} profile has no mapping "${name}"`);
    return compiled;
  }
}

/**
 * Options of one system: the gateway's explicit settings win over the profile's resilience defaults.
 * Its headers are those the configuration read (`options.headers`), else read from `env` now.
 */
export function httpOptionsFromProfile(
  profile: AgencyProfile,
  options: Omit<ResilientHttpOptions, 'system'>,
  env: NodeJS.ProcessEnv = process.env,
): ResilientHttpOptions {
  const headers = options.headers ?? readProfileHeaders(profile, env);
  return resilienceFromProfile(profile, { ...options, headers });
}

/** The profile's resilience defaults under the explicit `options` (any transport). */
export function resilienceFromProfile<O extends object>(
  profile: AgencyProfile,
  options: O,
): O & ResilienceSpecOptions & { system: AgencySystem } {
  const resilience = profile.resilience ?? {};
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  return {
    timeoutMs: resilience.timeoutMs,
    retries: resilience.retries,
    deadlineMs: resilience.deadlineMs,
    breaker: resilience.breaker,
    maxConcurrent: resilience.bulkhead?.maxConcurrent,
    maxQueued: resilience.bulkhead?.maxQueued,
    ...(defined as O),
    system: profile.system as AgencySystem,
  };
}

type ResilienceSpecOptions = Pick<
  ResilientHttpOptions,
  'timeoutMs' | 'retries' | 'deadlineMs' | 'breaker' | 'maxConcurrent' | 'maxQueued'
>;

/** A system on HTTP, as its profile describes it. */
export function httpProfileSource(
  profile: AgencyProfile,
  options: Omit<ResilientHttpOptions, 'system'>,
): ProfileSource {
  const httpOptions = httpOptionsFromProfile(profile, options);
  return new ProfileSource(profile, new HttpRecordTransport(profile.transport, httpOptions), options);
}
