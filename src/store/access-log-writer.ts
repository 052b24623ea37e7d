import type { AccessLogInput } from './access-log.ts';

/** The slice of AccessLog the writer needs; a fake can stand in for it in tests. */
export interface AccessLogSink {
  appendMany(entries: readonly AccessLogInput[]): Promise<unknown>;
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
}

/**
 * Queues entries in memory and appends them in the order `append` was called, a few per
 * transaction, one transaction at a time: a request waits for one short transaction, not for
 * every request ahead of it, and concurrent requests share the lock instead of queueing on it.
 *
 * Fails closed: once an append fails, that batch and everything queued behind it are rejected,
 * and every later `append` rejects at once with AccessLogUnavailableError. Nothing retries
 * behind the caller's back (a retry could record entries out of order); a new writer is needed.
 */
export class AccessLogWriter {
  readonly #sink: AccessLogSink;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  #draining: Promise<void> | null = null;
  #failure: AccessLogUnavailableError | null = null;

  constructor(sink: AccessLogSink, options: AccessLogWriterOptions = {}) {
    this.#sink = sink;
    this.#maxBatch = Math.max(1, options.maxBatch ?? 20);
  }

  /** The error that stopped the writer, or null while it is writing. */
  get failed(): AccessLogUnavailableError | null {
    return this.#failure;
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
    });
  }

  /** Resolves when everything appended so far is committed; rejects if the writer has failed. */
  async flush(): Promise<void> {
    while (this.#draining) await this.#draining;
    if (this.#failure) throw this.#failure;
  }

  async #drain(): Promise<void> {
    // Let requests finishing in the same tick join the first batch.
    await Promise.resolve();
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#maxBatch);
      try {
        await this.#sink.appendMany(batch.map((pending) => pending.entry));
      } catch (error) {
        this.#failure = new AccessLogUnavailableError(error);
        for (const pending of [...batch, ...this.#queue.splice(0)]) pending.reject(this.#failure);
        break;
      }
      for (const pending of batch) pending.resolve();
    }
    this.#draining = null;
  }
}
