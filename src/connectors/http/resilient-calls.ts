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
import type { AgencySystem } from '../../domain/types.ts';
import { UpstreamTimeoutError, UpstreamUnavailableError, type UpstreamError } from '../../platform/errors.ts';
import { DeadlineExceeded } from './failures.ts';
import { silentLogger, type ConnectorLogger } from './logger.ts';
import { resolveHttpOptions, type ResilientHttpOptions, type ResolvedHttpOptions } from './options.ts';
import { isRetriable, isTransient } from './to-upstream-error.ts';

/** The settings of every call to an agency, whatever carries it: timeouts, retries, deadline, breaker, bulkhead, metrics. */
export type ResilienceOptions = Omit<ResilientHttpOptions, 'baseUrl' | 'onDroppedRecord'>;

/** Turns whatever one attempt threw into the client-facing error naming the system. */
export type FailureClassifier = (
  failure: unknown,
  context: { system: AgencySystem; timeoutMs: number },
) => UpstreamError;

/** One call: what it is counted and logged as, and whether it may be tried again. */
export interface CallShape {
  /** Metric and log label, e.g. `permits.batch`. */
  operation: string;
  /** Only calls that are safe to repeat are retried. */
  idempotent: boolean;
  /** Number of keys in a batch request, for the batch-size histogram. */
  batchKeys?: number | undefined;
}

/**
 * The policies around every call to one agency system, whatever the transport (its HTTP API, a
 * 前置库 database): retry (idempotent calls, transient failures but not an agency shedding load)
 * → circuit breaker → bulkhead → per-attempt timeout, under a deadline over the whole call so a
 * slow agency never holds a GraphQL request for long. Every transport shares the defaults,
 * metrics and log lines, so an exchange database fails and recovers exactly as an agency API
 * does. Long-lived: one per system per gateway, so the breaker and bulkhead see all traffic.
 */
export class ResilientCalls {
  readonly system: AgencySystem;
  readonly options: ResolvedHttpOptions;
  private readonly logger: ConnectorLogger;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(
    options: ResilienceOptions & { baseUrl?: string },
    private readonly classify: FailureClassifier,
  ) {
    this.options = resolveHttpOptions({ baseUrl: '', ...options });
    this.system = options.system;
    this.logger = options.logger ?? silentLogger();
    const { retries, backoff, breaker, maxConcurrent, maxQueued, timeoutMs } = this.options;
    this.retryPolicy = retry(handleWhen(isRetriable), {
      maxAttempts: retries,
      backoff: new ExponentialBackoff({ initialDelay: backoff.initialDelayMs, maxDelay: backoff.maxDelayMs }),
    });
    this.breaker = circuitBreaker(handleWhen(isTransient), {
      halfOpenAfter: breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(breaker.threshold),
    });
    this.breaker.onBreak(() => this.logger.warn({ system: this.system }, 'circuit opened to agency system'));
    this.breaker.onReset(() => this.logger.warn({ system: this.system }, 'circuit closed to agency system'));
    this.bulkhead = bulkhead(maxConcurrent, maxQueued);
    // Aggressive: the attempt fails at the timeout even if something ignored the abort signal.
    // Not aborted on return: an attempt returns only once its answer is read, so nothing is left to
    // stop, and each abort costs a DOMException and the request's abort steps (bench notes, large list).
    this.timeout = timeout(timeoutMs, { strategy: TimeoutStrategy.Aggressive, abortOnReturn: false });
  }

  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /** The most calls in flight at once; a connection pool of this size never makes one wait. */
  get maxConcurrent(): number {
    return this.options.maxConcurrent;
  }

  /** Runs one call, each attempt given its abort signal; returns its answer or throws an `UpstreamError`. */
  async run<T>(call: CallShape, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
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
        this.breaker.execute(
          () => this.bulkhead.execute(() => this.attempt(call.operation, attempt, signal), signal),
          signal,
        );
      const run = call.idempotent
        ? this.retryPolicy.execute(({ signal }) => attempts(signal), deadline.signal)
        : attempts(deadline.signal);
      // Neither the bulkhead queue nor the retry backoff watches the signal, hence the race.
      return await Promise.race([run, atDeadline]);
    } catch (failure) {
      // Whatever of the call may still run (an attempt the timeout gave up on) stops here. A call
      // that succeeded has nothing running, and is not aborted: see the timeout policy above.
      deadline.abort();
      const error = this.classify(failure, { system: this.system, timeoutMs: this.timeoutMs });
      if (error instanceof UpstreamUnavailableError && !isTransient(error)) {
        metrics.upstreamRequests.inc({ ...labels, outcome: 'rejected' });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      endTimer();
    }
  }

  /** One attempt under the per-attempt timeout; counted in the request metric, its failure logged. */
  private async attempt<T>(
    operation: string,
    attempt: (signal: AbortSignal) => Promise<T>,
    signal: AbortSignal,
  ): Promise<T> {
    const { metrics } = this.options;
    const labels = { system: this.system, operation };
    if (signal.aborted) throw new DeadlineExceeded(this.options.deadlineMs);
    try {
      const result = await this.timeout.execute(({ signal: attemptSignal }) => attempt(attemptSignal), signal);
      metrics.upstreamRequests.inc({ ...labels, outcome: 'ok' });
      return result;
    } catch (failure) {
      const error = this.classify(failure, { system: this.system, timeoutMs: this.timeoutMs });
      metrics.upstreamRequests.inc({ ...labels, outcome: error instanceof UpstreamTimeoutError ? 'timeout' : 'error' });
      // What the client-facing error leaves out (the upstream's own message), for operators.
      this.logger.warn(
        {
          system: this.system,
          operation,
          code: error.code,
          detail: failure instanceof Error ? failure.message : String(failure),
        },
        'agency system call attempt failed',
      );
      throw error;
    }
  }
}
