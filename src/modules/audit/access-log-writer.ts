import type { AccessLogInput } from './access-log.ts';

/** The slice of AccessLog the writer needs; a fake can stand in for it in tests. */
export interface AccessLogSink {
  /** Appends the entries in the order given, all or none; nothing is read back. */
  write(entries: readonly AccessLogInput[]): Promise<unknown>;
  /** Resolves when the log can be reached again (e.g. its head can be read). */
  probe(): Promise<void>;
}

/** The access log could not be written; the gateway must not serve what it cannot log. */
export class AccessLogUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the access log cannot be written', { cause });
    this.name = 'AccessLogUnavailableError';
  }
}

interface Pending {
  entry: AccessLogInput;
  resolve(): void;
  reject(error: AccessLogUnavailableError): void;
}

export interface AccessLogWriterOptions {
  /** Entries per transaction; small, so no single append holds the chain's lock for long. */
  maxBatch?: number;
  /**
   * Before writing a batch, let the event loop read the requests that have arrived meanwhile
   * (one `setImmediate`), so they join it. Off (the default): only entries appended in the same
   * tick share a batch.
   */
  gatherArrivedRequests?: boolean;
  /**
   * While entries announced with `expect` are still to come, how long a batch waits for them
   * at most (gathering only). A lone request waits for nothing: nobody else is expected.
   */
  gatherMs?: number;
  /** First wait before probing a failed log again; each failed probe doubles it. */
  initialRetryMs?: number;
  /** The longest wait between probes: how late, at most, the writer notices the store is back. */
  maxRetryMs?: number;
  /** Told when the writer stops and when it writes again, for the operator's log. */
  onStateChange?: (state: { writing: boolean; error?: unknown }) => void;
}

/**
 * Queues entries in memory and appends them in the order `append` was called, a few per
 * transaction, one transaction at a time: a request waits for one short transaction, not for
 * every request ahead of it, and concurrent requests share the lock instead of queueing on it.
 *
 * Group commit (`gatherArrivedRequests`): a request that does no I/O of its own (a cached
 * token, cached grants, no agency) runs from its first byte to its entry in one turn of the
 * event loop, and on the embedded store the INSERT itself runs synchronously, so without a
 * yield no two such requests ever overlap and every batch holds one entry (measured: one INSERT
 * per request at 16 concurrent clients). Yielding once to the event loop's I/O phase before
 * each batch lets every request already waiting in a socket run up to its entry and join the
 * batch; a lone request waits for nothing but that one turn.
 *
 * Fails closed, and recovers by itself: once an append fails, that batch and everything queued
 * behind it are rejected, and every `append` rejects at once with AccessLogUnavailableError while
 * the writer probes the log in the background with a bounded exponential back-off. The first
 * probe that succeeds puts the writer back to work; nothing rejected is retried (its request was
 * already answered 503, and a late retry could record entries out of order).
 */
export class AccessLogWriter {
  readonly #sink: AccessLogSink;
  readonly #maxBatch: number;
  readonly #initialRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #onStateChange: AccessLogWriterOptions['onStateChange'];
  readonly #gatherArrivedRequests: boolean;
  readonly #gatherMs: number;
  #queue: Pending[] = [];
  /** Entries announced (`expect`) and not yet appended or given up: who a batch may still wait for. */
  #expected = 0;
  #wakeGatherer: (() => void) | null = null;
  #draining: Promise<void> | null = null;
  #failure: AccessLogUnavailableError | null = null;
  #retryDelayMs: number;
  #nextProbeAt = 0;
  #probeTimer: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(sink: AccessLogSink, options: AccessLogWriterOptions = {}) {
    this.#sink = sink;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 20);
    this.#initialRetryMs = Math.max(1, options.initialRetryMs ?? 250);
    this.#maxRetryMs = Math.max(this.#initialRetryMs, options.maxRetryMs ?? 2_000);
    this.#retryDelayMs = this.#initialRetryMs;
    this.#onStateChange = options.onStateChange;
    this.#gatherArrivedRequests = options.gatherArrivedRequests ?? false;
    this.#gatherMs = Math.max(0, options.gatherMs ?? 2);
  }

  /** The error that stopped the writer, or null while it is writing. */
  get failed(): AccessLogUnavailableError | null {
    return this.#failure;
  }

  /** Whole seconds until the writer next tries the log (at least 1): the answer's Retry-After. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil((this.#nextProbeAt - Date.now()) / 1000));
  }

  /**
   * For /readyz: throws while the log cannot be written. While it is writing, probes it, so an
   * outage shows before a request finds it (and then stops the writer, which refuses at once).
   */
  readonly readinessCheck = async (): Promise<void> => {
    if (!this.#failure && !this.#closed) {
      try {
        await this.#sink.probe();
      } catch (error) {
        if (!this.#failure) this.#fail(error);
      }
    }
    if (this.#failure)
      throw new Error(
        `the access log cannot be written (${causeOf(this.#failure)}); next attempt in ${this.retryAfterSeconds()} s`,
      );
  };

  /**
   * Announces an entry on its way (the guard on /graphql calls it as each request arrives); the
   * function returned says it has been appended or will not be, and may be called again. While
   * announced entries are still to come, a gathering writer holds its next batch for them (at
   * most `gatherMs`), so requests in flight together share one INSERT instead of drifting into
   * batches of one or two (measured at 16 clients: most batches held 1–4 entries without it).
   * A request far from its entry (a slow agency, a body arriving slowly) keeps every batch
   * waiting the whole `gatherMs` while it lasts: bounded, and cheaper than what it saves.
   */
  expect(): () => void {
    this.#expected += 1;
    let settled = false;
    return () => {
      if (settled) return;
      settled = true;
      this.#expected -= 1;
      this.#wakeGatherer?.();
    };
  }

  /**
   * Resolves once the entry is committed to the log; rejects when it cannot be. Callers that do
   * not wait must still handle the rejection (and then read `failed`).
   */
  append(entry: AccessLogInput): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ entry, resolve, reject });
      this.#draining ??= this.#drain();
      this.#wakeGatherer?.();
    });
  }

  /** Resolves when everything appended so far is committed; rejects if the writer has failed. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
    if (this.#failure) throw this.#failure;
  }

  /** Stops probing and waits for what is queued; for shutdown. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeGatherer?.();
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
    await this.flush().catch(() => undefined);
  }

  async #drain(): Promise<void> {
    // Let requests finishing in the same tick (or, gathering, in the same turn of the loop) join the first batch.
    await (this.#gatherArrivedRequests ? new Promise((resolve) => setImmediate(resolve)) : Promise.resolve());
    while (this.#queue.length > 0) {
      if (this.#gatherArrivedRequests) await this.#gathered();
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        await this.#sink.write(batch.map((pending) => pending.entry));
      } catch (error) {
        this.#fail(error);
        for (const pending of [...batch, ...this.#queue.splice(0)]) pending.reject(this.#failure!);
        break;
      }
      for (const pending of batch) pending.resolve();
    }
    this.#draining = null;
  }

  /** Resolves when the next batch is full, nobody announced is still to come, or `gatherMs` has passed. */
  async #gathered(): Promise<void> {
    const complete = () => this.#closed || this.#queue.length >= this.#maxBatch || this.#expected <= 0;
    if (complete()) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakeGatherer = null;
        resolve();
      };
      const timer = setTimeout(done, this.#gatherMs);
      this.#wakeGatherer = () => {
        if (complete()) done();
      };
    });
  }

  #fail(error: unknown): void {
    this.#failure = new AccessLogUnavailableError(error);
    this.#retryDelayMs = this.#initialRetryMs;
    this.#onStateChange?.({ writing: false, error });
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    if (this.#closed) return;
    const delay = this.#retryDelayMs;
    this.#nextProbeAt = Date.now() + delay;
    this.#probeTimer = setTimeout(() => void this.#probe(), delay);
    // A writer waiting for its store must not keep a stopping process alive.
    this.#probeTimer.unref();
  }

  async #probe(): Promise<void> {
    this.#probeTimer = null;
    try {
      await this.#sink.probe();
    } catch (error) {
      this.#failure = new AccessLogUnavailableError(error);
      this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.#maxRetryMs);
      this.#scheduleProbe();
      return;
    }
    this.#failure = null;
    this.#onStateChange?.({ writing: true });
  }
}

/** The first line of what stopped the writer: for a log line or /readyz. */
export function causeOf(error: AccessLogUnavailableError): string {
  const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
  return cause.split('\n')[0] ?? 'unknown cause';
}
