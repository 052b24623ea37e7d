import {
  ConsecutiveBreaker,
  ExponentialBackoff,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
} from 'cockatiel';
import type { BulkheadPolicy, CircuitBreakerPolicy, RetryPolicy, TimeoutPolicy } from 'cockatiel';
import { request } from 'undici';
import type { AgencySystem } from '../../domain/types.ts';
import type { UpstreamError } from '../../platform/errors.ts';
import { UpstreamTimeoutError, UpstreamUnavailableError } from '../../platform/errors.ts';
import { agencyDispatcher } from './agency-dispatcher.ts';
import type { Envelope } from './envelope.ts';
import { BadBodyFailure, DeadlineExceeded, HttpStatusFailure } from './failures.ts';
import { silentLogger } from './logger.ts';
import type { ConnectorLogger } from './logger.ts';
import { resolveHttpOptions } from './options.ts';
import type { ResilientHttpOptions, ResolvedHttpOptions } from './options.ts';
import { isRetriable, isTransient, toUpstreamError } from './to-upstream-error.ts';

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
 * HTTP to one agency system with cockatiel policies around every attempt:
 * retry (idempotent calls) → circuit breaker → bulkhead → timeout → HTTP request,
 * and a deadline over the whole call so a slow agency never holds a GraphQL request for long.
 * Long-lived: one per system per gateway, so the breaker and bulkhead see all traffic.
 * Requests go through undici's `request` on keep-alive connections (agency-dispatcher.ts), not
 * the global fetch: fetch's WHATWG streams, Headers, Response and abort plumbing cost ≈ 0.7 ms
 * of CPU per large-list request and ≈ 2.9 ms per lifecycle query (bench/notes/undici.md).
 */
export class ResilientHttpClient {
  readonly system: AgencySystem;
  private readonly options: ResolvedHttpOptions;
  private readonly logger: ConnectorLogger;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(
    options: ResilientHttpOptions,
    private readonly envelope: Envelope,
  ) {
    this.options = resolveHttpOptions(options);
    this.system = options.system;
    this.logger = options.logger ?? silentLogger();
    const { retries, backoff, breaker, maxConcurrent, maxQueued, timeoutMs } = this.options;
    const transient = handleWhen(isTransient);
    this.retryPolicy = retry(handleWhen(isRetriable), {
      maxAttempts: retries,
      backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }),
    });
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(breaker.threshold),
    });
    this.breaker.onBreak(() => this.logger.warn({ system: this.system }, 'circuit opened to agency system'));
    this.breaker.onReset(() => this.logger.warn({ system: this.system }, 'circuit closed to agency system'));
    this.bulkhead = bulkhead(maxConcurrent, maxQueued);
    // Aggressive: the attempt fails at the timeout even if something ignored the abort signal.
    // Not aborted on return: an attempt returns only once its body is read, so nothing is left to
    // stop, and each abort costs a DOMException and the request's abort steps (bench notes, large list).
    this.timeout = timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  }

  /** Sends the call and returns the envelope's payload, or throws an `UpstreamError`. */
  async call<T>(call: UpstreamCall<T>): Promise<T> {
    const { metrics, deadlineMs } = this.options;
    const labels = { system: this.system, operation: call.operation };
    if (call.batchKeys !== undefined) metrics.upstreamBatchKeys.observe(labels, call.batchKeys);
    const endTimer = metrics.upstreamDuration.startTimer(labels);
    const deadline = new AbortController();
    let rejectAtDeadline: (error: Error) => void = () => undefined;
    const atDeadline = new Promise<never>((_, reject) => {
      rejectAtDeadline = reject;
    });
    const timer = setTimeout(() => {
      deadline.abort();
      rejectAtDeadline(new DeadlineExceeded(deadlineMs));
    }, deadlineMs);
    try {
      const attempts = (signal: AbortSignal) =>
        this.breaker.execute(() => this.bulkhead.execute(() => this.attempt(call, signal), signal), signal);
      const run = call.idempotent
        ? this.retryPolicy.execute(({ signal }) => attempts(signal), deadline.signal)
        : attempts(deadline.signal);
      // Neither the bulkhead queue nor the retry backoff watches the signal, hence the race.
      return await Promise.race([run, atDeadline]);
    } catch (failure) {
      // Whatever of the call may still run (an attempt the timeout gave up on) stops here. A call
      // that succeeded has nothing running, and is not aborted: see the timeout policy above.
      deadline.abort();
      const error = toUpstreamError(failure, { system: this.system, timeoutMs: this.options.timeoutMs });
      if (error instanceof UpstreamUnavailableError && !isTransient(error)) {
        metrics.upstreamRequests.inc({ ...labels, outcome: 'rejected' });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      endTimer();
    }
  }

  /** One HTTP attempt under the per-attempt timeout; counted in the request metric. */
  private async attempt<T>(call: UpstreamCall<T>, signal: AbortSignal): Promise<T> {
    const { metrics } = this.options;
    const labels = { system: this.system, operation: call.operation };
    if (signal.aborted) throw new DeadlineExceeded(this.options.deadlineMs);
    try {
      const result = await this.timeout.execute(({ signal: attemptSignal }) => this.send(call, attemptSignal), signal);
      metrics.upstreamRequests.inc({ ...labels, outcome: 'ok' });
      return result;
    } catch (failure) {
      const error = toUpstreamError(failure, { system: this.system, timeoutMs: this.options.timeoutMs });
      metrics.upstreamRequests.inc({ ...labels, outcome: error instanceof UpstreamTimeoutError ? 'timeout' : 'error' });
      this.logFailure(call, failure, error);
      throw error;
    }
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
          ? { ...this.options.headers, accept: 'application/json' }
          : { ...this.options.headers, accept: 'application/json', 'content-type': 'application/json' },
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
    const url = new URL(this.options.baseUrl + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Logs what the client-facing error leaves out (the upstream's own message), for operators. */
  private logFailure(call: UpstreamCall<unknown>, failure: unknown, error: UpstreamError): void {
    const detail = failure instanceof Error ? failure.message : String(failure);
    this.logger.warn(
      { system: this.system, operation: call.operation, code: error.code, detail },
      'agency system call attempt failed',
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
