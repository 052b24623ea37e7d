import { ResilientHttpClient, inBatches, isRecord } from '../http/index.ts';
import type { EnvelopeResult, ResilientHttpOptions } from '../http/index.ts';
import { pathGetter } from '../profiles/compile-mapping.ts';
import type { EnvelopeSpec, HttpResourceSpec, HttpTransportSpec, PagingSpec } from '../profiles/profile-types.ts';
import type { RawRecord, RecordTransport } from './record-transport.ts';

/** A batch the agency is asked for: the body to send and the label it is counted under. */
interface BatchRequest {
  body: (values: string[]) => Record<string, unknown>;
  label: string;
}

/**
 * An agency's HTTP API as its profile describes it, behind the resilient client (timeout,
 * read retries, breaker, bulkhead). Knows envelopes, paging and batches; nothing of the domain.
 */
export class HttpRecordTransport implements RecordTransport {
  readonly cursorOrigin = 'agency-api';
  /** Also serves the few writes a profile cannot describe, so one breaker and bulkhead guard the system. */
  readonly http: ResilientHttpClient;
  private readonly page: (data: unknown) => { total: number; items: RawRecord[] };
  private readonly feed: (data: unknown) => { items: RawRecord[]; nextCursor: string | null; hasMore: boolean };
  private readonly maxBatchKeys: number;

  constructor(
    private readonly spec: HttpTransportSpec,
    options: ResilientHttpOptions,
  ) {
    this.http = new ResilientHttpClient(options, openEnvelope(spec.envelope));
    this.maxBatchKeys = spec.maxBatchKeys ?? 200;
    const total = pathGetter(spec.paging.totalPath);
    const pageItems = pathGetter(spec.paging.itemsPath);
    this.page = (data) => ({
      total: expect(total(data), 'number', spec.paging.totalPath),
      items: records(pageItems(data), spec.paging.itemsPath),
    });
    const feedItems = pathGetter(spec.changeFeed.itemsPath);
    const next = pathGetter(spec.changeFeed.nextCursorPath);
    const more = pathGetter(spec.changeFeed.hasMorePath);
    this.feed = (data) => ({
      items: records(feedItems(data), spec.changeFeed.itemsPath),
      nextCursor: expect(next(data), 'string', spec.changeFeed.nextCursorPath),
      hasMore: expect(more(data), 'boolean', spec.changeFeed.hasMorePath),
    });
  }

  fetchBy(resource: string, field: string, values: readonly string[]): Promise<RawRecord[]> {
    const spec = this.resource(resource);
    const request = batchRequest(spec, field, resource);
    return inBatches(
      values,
      (batch) =>
        this.http.call({
          operation: `${resource}.batch.${request.label}`,
          method: 'POST',
          path: spec.batch.path,
          body: request.body(batch),
          idempotent: true,
          batchKeys: batch.length,
          parse: (data) => records(data, '(payload)'),
        }),
      this.maxBatchKeys,
    );
  }

  list(resource: string, offset: number, limit: number): Promise<{ total: number; items: RawRecord[] }> {
    return this.http.call({
      operation: `${resource}.list`,
      method: 'GET',
      path: this.resource(resource).list,
      query: this.pageQuery(offset, limit),
      idempotent: true,
      parse: this.page,
    });
  }

  changes(
    resource: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: RawRecord[]; nextCursor: string | null; hasMore: boolean }> {
    const feed = this.spec.changeFeed;
    return this.http.call({
      operation: `${resource}.changes`,
      method: 'GET',
      path: this.resource(resource).changes,
      query: { [feed.cursorParam]: cursor ?? undefined, [feed.limitParam]: limit },
      idempotent: true,
      parse: this.feed,
    });
  }

  fetchAll(table: string): Promise<RawRecord[]> {
    const path = this.spec.referenceTables?.[table];
    if (path === undefined) throw new Error(`the profile has no reference table "${table}"`);
    return this.http.call({
      operation: `${table}.reference`,
      method: 'GET',
      path,
      idempotent: true,
      parse: (data) => records(data, '(payload)'),
    });
  }

  async ping(): Promise<void> {
    await this.http.call({
      operation: 'ping',
      method: 'GET',
      path: this.resource(this.spec.pingResource).list,
      query: this.pageQuery(0, 1),
      idempotent: true,
      parse: this.page,
    });
  }

  private pageQuery(offset: number, limit: number): Record<string, number> {
    return pageQuery(this.spec.paging, offset, limit);
  }

  private resource(name: string): HttpResourceSpec {
    const spec = this.spec.resources[name];
    if (!spec) throw new Error(`the profile has no resource "${name}"`);
    return spec;
  }
}

/** The query of one page, by offset or by page number as the system pages. */
export function pageQuery(paging: PagingSpec, offset: number, limit: number): Record<string, number> {
  if (paging.style === 'offset') return { [paging.offsetParam]: offset, [paging.limitParam]: limit };
  // Page numbers count from 1; callers page in whole pages, so the offset is a multiple of the limit.
  return { [paging.pageParam]: Math.floor(offset / limit) + 1, [paging.sizeParam]: limit };
}

function batchRequest(spec: HttpResourceSpec, field: string, resource: string): BatchRequest {
  const batch = spec.batch;
  if (batch.style === 'key-per-field') {
    const key = batch.keys[field];
    if (key === undefined) throw new Error(`resource "${resource}" cannot be looked up by "${field}"`);
    return { label: key, body: (values) => ({ [key]: values }) };
  }
  if (!batch.fields.includes(field)) throw new Error(`resource "${resource}" cannot be looked up by "${field}"`);
  return { label: field, body: (values) => ({ [batch.fieldParam]: field, [batch.valuesParam]: values }) };
}

export function openEnvelope(spec: EnvelopeSpec): (body: unknown) => EnvelopeResult {
  const status = pathGetter(spec.statusPath);
  const data = pathGetter(spec.dataPath);
  const message = spec.messagePath === undefined ? () => undefined : pathGetter(spec.messagePath);
  const ok = new Set<unknown>(spec.okValues);
  return (body) => {
    if (!isRecord(body)) return { ok: false, message: 'not an envelope' };
    if (!ok.has(status(body))) return { ok: false, message: String(message(body) ?? status(body)) };
    return { ok: true, data: data(body) };
  };
}

/** The payload's outer shape; a wrong one is UPSTREAM_BAD_RESPONSE, each record is checked when mapped. */
function records(value: unknown, path: string): RawRecord[] {
  if (!Array.isArray(value)) throw new Error(`${path} is not an array`);
  return value as RawRecord[];
}

function expect<K extends 'number' | 'string' | 'boolean'>(
  value: unknown,
  kind: K,
  path: string,
): K extends 'number' ? number : K extends 'string' ? string : boolean {
  if (typeof value !== kind) throw new Error(`${path} is not a ${kind}`);
  return value as K extends 'number' ? number : K extends 'string' ? string : boolean;
}
