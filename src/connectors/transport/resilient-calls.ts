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
import { UpstreamTimeoutError, UpstreamUnavailableError, type UpstreamError } from '../../errors.ts';
import { DeadlineExceeded } from '../http/failures.ts';
import { silentLogger, type ConnectorLogger } from '../http/logger.ts';
import { resolveHttpOptions, type ResilientHttpOptions } from '../http/options.ts';
import { isTransient } from '../http/to-upstream-error.ts';

/** The HTTP client's settings minus the URL: timeouts, retries, deadline, breaker, bulkhead, metrics. */
export type ResilienceOptions = Omit<ResilientHttpOptions, 'baseUrl' | 'onDroppedRecord'>;

/** Turns whatever one attempt threw into the client-facing error naming the system. */
export type FailureClassifier = (
  failure: unknown,
  context: { system: AgencySystem; timeoutMs: number },
) => UpstreamError;

/**
 * The policies of `ResilientHttpClient` for transports that are not HTTP (a 前置库 database):
 * retry (every call is a read) → circuit breaker → bulkhead → per-attempt timeout, under a
 * deadline over the whole call, with the same defaults, metrics and log lines, so an exchange
 * database fails and recovers exactly as an agency API does. One per system per gateway.
 */
export class ResilientCalls {
  readonly system: AgencySystem;
  readonly timeoutMs: number;
  private readonly options: ReturnType<typeof resolveHttpOptions>;
  private readonly logger: ConnectorLogger;
  private readonly retryPolicy: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(
    options: ResilienceOptions,
    private readonly classify: FailureClassifier,
  ) {
    this.options = resolveHttpOptions({ ...options, baseUrl: '' });
    this.system = options.system;
    this.timeoutMs = this.options.timeoutMs;
    this.logger = options.logger ?? silentLogger();
    const { retries, backoff, breaker, maxConcurrent, maxQueued, timeoutMs } = this.options;
    const transient = handleWhen(isTransient);
    this.retryPolicy = retry(transient, {
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
    // Aggressive: the attempt fails at the timeout even if the driver is still waiting.
    this.timeout = timeout(timeoutMs, TimeoutStrategy.Aggressive);
  }

  /** The most calls in flight at once; a connection pool of this size never makes one wait. */
  get maxConcurrent(): number {
    return this.options.maxConcurrent;
  }

  /** Runs one read (retried while transient), or throws an `UpstreamError` naming the system. */
  async run<T>(operation: string, attempt: () => Promise<T>, batchKeys?: number): Promise<T> {
    const { metrics, deadlineMs } = this.options;
    const labels = { system: this.system, operation };
    if (batchKeys !== undefined) metrics.upstreamBatchKeys.observe(labels, batchKeys);
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
      const run = this.retryPolicy.execute(
        ({ signal }) =>
          this.breaker.execute(
            () => this.bulkhead.execute(() => this.attempt(operation, attempt, signal), signal),
            signal,
          ),
        deadline.signal,
      );
      // Neither the bulkhead queue nor the retry backoff watches the signal, hence the race.
      return await Promise.race([run, atDeadline]);
    } catch (failure) {
      const error = this.classify(failure, { system: this.system, timeoutMs: this.timeoutMs });
      if (error instanceof UpstreamUnavailableError && !isTransient(error)) {
        metrics.upstreamRequests.inc({ ...labels, outcome: 'rejected' });
      }
      throw error;
    } finally {
      clearTimeout(timer);
      deadline.abort();
      endTimer();
    }
  }

  private async attempt<T>(operation: string, attempt: () => Promise<T>, signal: AbortSignal): Promise<T> {
    const { metrics } = this.options;
    const labels = { system: this.system, operation };
    if (signal.aborted) throw new DeadlineExceeded(this.options.deadlineMs);
    try {
      const result = await this.timeout.execute(attempt, signal);
      metrics.upstreamRequests.inc({ ...labels, outcome: 'ok' });
      return result;
    } catch (failure) {
      const error = this.classify(failure, { system: this.system, timeoutMs: this.timeoutMs });
      metrics.upstreamRequests.inc({ ...labels, outcome: error instanceof UpstreamTimeoutError ? 'timeout' : 'error' });
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
