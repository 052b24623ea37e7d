import { request } from 'undici';
import type { AgencySystem } from '../../domain/types.ts';
import { agencyDispatcher } from './agency-dispatcher.ts';
import type { Envelope } from './envelope.ts';
import { BadBodyFailure, HttpStatusFailure } from './failures.ts';
import type { ResilientHttpOptions } from './options.ts';
import { ResilientCalls } from './resilient-calls.ts';
import { toUpstreamError } from './to-upstream-error.ts';

export type QueryValue = string | number | undefined;

/** One logical call to an agency system; it may take several HTTP attempts. */
export interface UpstreamCall<T> {
  /** Metric label, e.g. `permits.batch`. */
  operation: string;
  method: 'GET' | 'POST';
  /** Path below the base URL, e.g. `/api/permits/batch`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Only calls that are safe to repeat are retried; batch lookups are POST but still reads. */
  idempotent: boolean;
  /** Number of keys in a batch request, for the batch-size histogram. */
  batchKeys?: number;
  /** Checks the envelope's payload has the expected shape; throw to reject it. */
  parse: (data: unknown) => T;
}

/**
 * HTTP to one agency system, each attempt under the policies every agency call has
 * (ResilientCalls: retry of idempotent calls → circuit breaker → bulkhead → timeout, under a
 * deadline over the whole call). Long-lived: one per system per gateway, so the breaker and
 * bulkhead see all traffic. Requests go through undici's `request` on keep-alive connections
 * (agency-dispatcher.ts), not the global fetch: fetch's WHATWG streams, Headers, Response and
 * abort plumbing cost ≈ 0.7 ms of CPU per large-list request and ≈ 2.9 ms per lifecycle query
 * (bench/notes/undici.md).
 */
export class ResilientHttpClient {
  readonly system: AgencySystem;
  private readonly calls: ResilientCalls;
  private readonly baseUrl: string;
  private readonly headers: Record<string, string> | undefined;

  constructor(
    options: ResilientHttpOptions,
    private readonly envelope: Envelope,
  ) {
    this.calls = new ResilientCalls(options, toUpstreamError);
    this.system = options.system;
    this.baseUrl = this.calls.options.baseUrl;
    this.headers = this.calls.options.headers;
  }

  /** Sends the call and returns the envelope's payload, or throws an `UpstreamError`. */
  call<T>(call: UpstreamCall<T>): Promise<T> {
    return this.calls.run(call, (signal) => this.send(call, signal));
  }

  private async send<T>(call: UpstreamCall<T>, signal: AbortSignal): Promise<T> {
    // Network failures reject with undici's own errors (ECONNREFUSED, UND_ERR_SOCKET, an abort's
    // reason), which toUpstreamError maps as it mapped their fetch-wrapped forms.
    const response = await request(this.url(call), {
      dispatcher: agencyDispatcher,
      method: call.method,
      signal,
      headers:
        call.body === undefined
          ? { ...this.headers, accept: 'application/json' }
          : { ...this.headers, accept: 'application/json', 'content-type': 'application/json' },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
    const text = await response.body.text();
    const body = parseJson(text);
    if (response.statusCode < 200 || response.statusCode > 299) {
      const opened = body === undefined ? undefined : this.envelope(body);
      throw new HttpStatusFailure(response.statusCode, opened && !opened.ok ? opened.message : undefined);
    }
    if (body === undefined) throw new BadBodyFailure('invalid_json', `${text.length} characters`);
    const opened = this.envelope(body);
    if (!opened.ok) throw new BadBodyFailure('error_envelope', opened.message);
    try {
      return call.parse(opened.data);
    } catch (error) {
      throw new BadBodyFailure('unexpected_shape', error instanceof Error ? error.message : String(error));
    }
  }

  private url(call: UpstreamCall<unknown>): string {
    const url = new URL(this.baseUrl + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
