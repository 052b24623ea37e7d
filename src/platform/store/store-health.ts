import { DriverAdapterError } from '@prisma/driver-adapter-utils';
import { isStoreUnavailable } from './store-unavailable.ts';

export interface StoreHealthOptions {
  /** Resolves when the store answers a trivial statement; must bypass the health it serves. */
  probe: () => Promise<void>;
  /** First wait before probing a store found down; each failed probe doubles it. */
  initialRetryMs?: number;
  /** The longest wait between probes: how late, at most, the store is noticed back. */
  maxRetryMs?: number;
  /** How long the probe confirming a suspect failure may take: a store that answers, answers `SELECT 1` far sooner. */
  confirmWithinMs?: number;
  /** Told when the store is found down and when it answers again, for the operator's log. */
  onChange?: (state: { up: boolean; error?: unknown }) => void;
}

/**
 * Whether the store answers, as learnt from the statements callers wait on. A statement that
 * fails because the store cannot be reached (its timeout passed, the connection broke) makes it
 * suspect, and a probe runs at once; if the probe fails too, the store is down, and from then on
 * new statements are refused at once, without a connection, until a probe in the background sees
 * it answer. Without it every request during a hang would wait the whole statement timeout for
 * its 503, and hold a pooled connection while it did.
 *
 * Statements starting while that probe runs (at most `confirmWithinMs`) wait for its verdict.
 * The confirming probe is why one heavy statement that outlives the bound (an analysis over a
 * year, or one an attacker chose to be slow), or a pool briefly full, does not refuse every
 * caller: the statement's own caller gets its 503, and the others go on while the server answers.
 *
 * Only starting work is refused: a statement inside a transaction already begun still runs, so
 * its rollback is never skipped and no connection goes back to the pool mid-transaction.
 */
/** As many as the pool of the probe may hold connections a restart dropped, and one more. */
const PROBE_TRIES = 3;

export class StoreHealth {
  readonly #probe: () => Promise<void>;
  readonly #initialRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #onChange: StoreHealthOptions['onChange'];
  #down: unknown = null;
  #retryDelayMs: number;
  #probeTimer: NodeJS.Timeout | null = null;
  /** The probe run on a suspect failure, while it runs: statements starting meanwhile await its verdict. */
  #confirming: Promise<void> | null = null;
  readonly #confirmWithinMs: number;
  /** When a statement last succeeded: a probe that fails after it started answers an old question. */
  #answeredAt = 0;
  #closed = false;

  constructor(options: StoreHealthOptions) {
    this.#probe = options.probe;
    this.#initialRetryMs = Math.max(1, options.initialRetryMs ?? 250);
    this.#maxRetryMs = Math.max(this.#initialRetryMs, options.maxRetryMs ?? 2_000);
    this.#retryDelayMs = this.#initialRetryMs;
    this.#onChange = options.onChange;
    this.#confirmWithinMs = Math.max(1, options.confirmWithinMs ?? 1_000);
  }

  /** True while the store is known not to answer. */
  get down(): boolean {
    return this.#down !== null;
  }

  /** Runs new work on the store, or refuses it at once while the store is down (or, suspect, once found down). */
  start<T>(run: () => Promise<T>): Promise<T> {
    if (this.#down !== null) return Promise.reject(refusal());
    if (this.#confirming) return this.#confirming.then(() => this.start(run));
    return this.watch(run);
  }

  /** Runs work already under way (a statement of an open transaction), learning from how it fails. */
  async watch<T>(run: () => Promise<T>): Promise<T> {
    try {
      const result = await run();
      this.#answeredAt = performance.now();
      return result;
    } catch (error) {
      if (isStoreUnavailable(error)) this.#suspect(error);
      throw error;
    }
  }

  /** A statement found the store not answering: down only if a probe, run now, fails as well. */
  #suspect(error: unknown): void {
    if (this.#down !== null || this.#closed || this.#confirming) return;
    const asked = performance.now();
    this.#confirming = withinMs(this.#probeAgainOnFailure(PROBE_TRIES), this.#confirmWithinMs).then(
      () => {
        this.#confirming = null;
      },
      () => {
        this.#confirming = null;
        // A statement answered while the probe waited (a hung server resumed): the store is up.
        if (this.#answeredAt < asked) this.#markDown(error);
      },
    );
  }

  /**
   * The confirming probe, tried again at once when it fails: a server that restarted dropped every
   * pooled connection, so the probe may run on one the pool has not yet seen closed, fail, and get
   * it discarded; the next try opens a fresh one. A server that is really gone fails every try (a
   * refused connection is quick), and a hung one is cut off by the confirmation's bound.
   */
  async #probeAgainOnFailure(tries: number): Promise<void> {
    try {
      await this.#probe();
    } catch (error) {
      if (tries <= 1 || this.#closed) throw error;
      await this.#probeAgainOnFailure(tries - 1);
    }
  }

  /** Stops probing; for shutdown. */
  close(): void {
    this.#closed = true;
    if (this.#probeTimer) clearTimeout(this.#probeTimer);
    this.#probeTimer = null;
  }

  #markDown(error: unknown): void {
    if (this.#down !== null || this.#closed) return;
    this.#down = error;
    this.#retryDelayMs = this.#initialRetryMs;
    this.#onChange?.({ up: false, error });
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    if (this.#closed) return;
    this.#probeTimer = setTimeout(() => void this.#probeOnce(), this.#retryDelayMs);
    // A store being waited for must not keep a stopping process alive.
    this.#probeTimer.unref();
  }

  async #probeOnce(): Promise<void> {
    this.#probeTimer = null;
    try {
      await this.#probe();
    } catch {
      this.#retryDelayMs = Math.min(this.#retryDelayMs * 2, this.#maxRetryMs);
      this.#scheduleProbe();
      return;
    }
    if (this.#closed) return;
    this.#down = null;
    this.#onChange?.({ up: true });
  }
}

/**
 * What a refused statement throws: the driver adapters' own "not reachable", so Prisma reports
 * it as it would a connection that failed (P1001), and `isStoreUnavailable` reads it as one.
 */
function refusal(): DriverAdapterError {
  return new DriverAdapterError({ kind: 'DatabaseNotReachable' });
}

function withinMs(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
