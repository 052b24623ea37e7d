import type { Logger } from 'pino';
import { retryDelayMs, type BackoffSettings } from './backoff.ts';
import type { DeferralSettled, FailureMark, FailureSettled, Lease } from './leased-queue.ts';

/** What a handler's attempt came to. */
export type AttemptOutcome<R> =
  /** Done; `record` is stored with the job as it is settled (e.g. the id the receiver gave it). */
  | { kind: 'delivered'; record: R }
  /** Failed; tried again after a back-off (a timeout, a refused connection, a 5xx). */
  | { kind: 'failed'; error: string }
  /** Failed for good (the receiver refused the job itself): dead-lettered at once, whatever the policy. */
  | { kind: 'permanent'; error: string }
  /** The runner gave up on it while stopping; the receiver may or may not have it. */
  | { kind: 'abandoned' }
  /**
   * Not made: this gateway was short of its own resources (file descriptors, local ports, memory)
   * before the receiver was reached. Given back after a back-off without spending the attempt.
   */
  | { kind: 'deferred'; error: string };

/** How an attempt was settled, for metrics and logs. */
export type SettledOutcome = 'delivered' | 'abandoned' | FailureSettled | DeferralSettled;

/** The store side of one outbox: claim under a lease, and settle only while holding it. */
export interface OutboxJobs<J extends Lease, R> {
  claim(limit: number, leaseMs: number): Promise<J[]>;
  /** False when the lease was lost meanwhile. */
  complete(job: J, record: R): Promise<boolean>;
  fail(job: J, error: string, retryInMs: number, mark: FailureMark): Promise<FailureSettled>;
  /** Gives the job back, due after `retryInMs`, its attempt not spent (LeasedQueue.defer). */
  defer(job: J, error: string, retryInMs: number): Promise<DeferralSettled>;
  release(job: J, reason: string): Promise<void>;
  /**
   * Milliseconds until a pending job could next be claimed (its retry due, any lease run out), by
   * the store's clock: 0 or less when one is claimable now, null when none is pending. Without
   * it, an idle runner polls every `pollIntervalMs`.
   */
  untilNextDue?(): Promise<number | null>;
}

export interface OutboxRunnerSettings {
  /** Names the outbox in logs. */
  name: string;
  /** Jobs in flight at once in this process. */
  maxInFlight: number;
  /** How often the store is looked at when nothing wakes the runner sooner. */
  pollIntervalMs: number;
  /**
   * When a look finds nothing due, the runner sleeps until the next pending job is due (never
   * less than `pollIntervalMs`), and at most this long: the bound on noticing a job another
   * instance queued. Unset, or not above `pollIntervalMs`: it polls every `pollIntervalMs`.
   */
  idlePollMaxMs?: number;
  /** How long a claim holds; must outlast any attempt by far, so only a crashed holder's lease runs out. */
  leaseMs: number;
  /** On stop, how long jobs in flight may finish before they are abandoned and given back. */
  stopGraceMs: number;
  backoff: BackoffSettings;
  /**
   * After `afterAttempts` failed attempts: `dead-letter` gives the job up (it waits for a replay);
   * `flag-stalled` keeps retrying at the capped back-off and flags the job as stalled, for work
   * that must never be given up.
   */
  exhausted: { afterAttempts: number; then: 'dead-letter' | 'flag-stalled' };
}

export interface OutboxHooks<J extends Lease> {
  /** After each settled attempt (metrics, logs, an event when a job stalls). Errors are logged, not thrown. */
  settled?(
    job: J,
    outcome: SettledOutcome,
    detail: { seconds: number; error?: string; retryInMs?: number },
  ): void | Promise<void>;
  /** Called each turn of the loop before claiming; keeps its own schedule (e.g. purging old jobs). */
  housekeeping?(): Promise<void>;
}

/** After the grace, how long abandoned jobs have to be given back before stopping goes on without them. */
const GIVE_BACK_MS = 2_000;
/** How long after a job is due an idle runner wakes for it (see #idleSleepMs). */
const DUE_MARGIN_MS = 5;

export type OutboxHandler<J extends Lease, R> = (job: J, abandon: AbortSignal) => Promise<AttemptOutcome<R>>;

/**
 * Runs one leased outbox: claims due jobs while it has room for them, runs the handler on each,
 * and settles each outcome under the job's lease. Sleeps between polls and wakes at once when
 * told new work exists (`wake()`) or a job settles. Several processes may run one outbox on one
 * store: the lease keeps them apart, and a crashed process's jobs are claimed again once their
 * leases run out.
 *
 * Stopping waits up to `stopGraceMs` for jobs in flight, then abandons the rest: their handlers'
 * signal is aborted and their leases given back, so whoever runs next takes them at once.
 */
export class OutboxRunner<J extends Lease, R> {
  readonly #jobs: OutboxJobs<J, R>;
  readonly #handler: OutboxHandler<J, R>;
  readonly #settings: OutboxRunnerSettings;
  readonly #hooks: OutboxHooks<J>;
  readonly #logger: Logger;
  readonly #inFlight = new Set<Promise<void>>();
  #abandon = new AbortController();
  #running = false;
  #loop: Promise<void> | undefined;
  #wakeUp: (() => void) | undefined;
  #wokenEarly = false;
  /** Until then (performance.now()), an idle runner polls every `pollIntervalMs`: work was announced but not yet visible. */
  #expectingUntil = 0;
  /** Attempts in a row this process could not make for want of its own resources (see #defer). */
  #shortagesInARow = 0;

  constructor(
    jobs: OutboxJobs<J, R>,
    handler: OutboxHandler<J, R>,
    settings: OutboxRunnerSettings,
    logger: Logger,
    hooks: OutboxHooks<J> = {},
  ) {
    this.#jobs = jobs;
    this.#handler = handler;
    this.#settings = settings;
    this.#hooks = hooks;
    this.#logger = logger.child({ outbox: settings.name });
  }

  get settings(): Readonly<OutboxRunnerSettings> {
    return this.#settings;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#abandon = new AbortController();
    this.#loop = this.#run();
  }

  /** Looks for due jobs now rather than at the next poll (new work was queued). */
  wake(): void {
    this.#wokenEarly = true;
    this.#wakeUp?.();
  }

  /**
   * New work will become visible at a commit this process cannot see (a producer's transaction):
   * looks now, and keeps polling every `pollIntervalMs` rather than sleeping long, for up to
   * `idlePollMaxMs`; past that the idle cap bounds the wait anyway.
   */
  expectWork(): void {
    const { pollIntervalMs, idlePollMaxMs = pollIntervalMs } = this.#settings;
    this.#expectingUntil = performance.now() + idlePollMaxMs;
    this.wake();
  }

  /** Stops claiming, lets jobs in flight finish within the grace, gives back the rest. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      await this.#housekeeping();
      const room = this.#settings.maxInFlight - this.#inFlight.size;
      const claimed = room > 0 ? await this.#claim(room) : [];
      for (const job of claimed) this.#track(this.#attempt(job));
      // Full: a settle wakes it. Nothing due: it sleeps until something is. Else it claims again at once.
      if (claimed.length === room) await this.#sleep(this.#settings.pollIntervalMs);
      else if (claimed.length === 0) await this.#sleep(await this.#idleSleepMs());
    }
    await this.#drain();
  }

  async #housekeeping(): Promise<void> {
    try {
      await this.#hooks.housekeeping?.();
    } catch (error) {
      this.#logger.warn({ err: error }, 'outbox housekeeping failed; will try again');
    }
  }

  async #claim(limit: number): Promise<J[]> {
    try {
      return await this.#jobs.claim(limit, this.#settings.leaseMs);
    } catch (error) {
      // The store is down: nothing is lost (the jobs are in it); the next poll tries again.
      this.#logger.error({ err: error }, 'claiming outbox jobs failed; will try again');
      return [];
    }
  }

  /**
   * How long to sleep when nothing was due: until the next pending job is due, within
   * [`pollIntervalMs`, `idlePollMaxMs`]. Jobs this process queues or settles wake it sooner; the
   * cap bounds how late it notices a job another instance queued.
   */
  async #idleSleepMs(): Promise<number> {
    const { pollIntervalMs, idlePollMaxMs = pollIntervalMs } = this.#settings;
    if (idlePollMaxMs <= pollIntervalMs || !this.#jobs.untilNextDue) return pollIntervalMs;
    // Stopping (no store query to wait for), or work announced but not yet visible: poll as usual.
    if (!this.#running || performance.now() < this.#expectingUntil) return pollIntervalMs;
    let untilDue: number | null;
    try {
      untilDue = await this.#jobs.untilNextDue();
    } catch (error) {
      // A store that fails is logged by the claims, one per poll; until then, poll as usual.
      this.#logger.debug({ err: error }, 'could not tell when the next outbox job is due; polling');
      return pollIntervalMs;
    }
    // A timer may fire a millisecond early and the due time is stored to the millisecond: wake a
    // little after it, or the claim just misses the job and it waits a whole interval more.
    const untilJustAfterDue = untilDue === null ? idlePollMaxMs : untilDue + DUE_MARGIN_MS;
    return Math.min(idlePollMaxMs, Math.max(pollIntervalMs, untilJustAfterDue));
  }

  #track(work: Promise<void>): void {
    const tracked = work.finally(() => {
      this.#inFlight.delete(tracked);
      // A settled job may unblock the next one of its ordered queue, and frees room.
      this.wake();
    });
    this.#inFlight.add(tracked);
  }

  async #attempt(job: J): Promise<void> {
    const log = this.#logger.child({ job: job.key, attempt: job.attempts });
    const started = performance.now();
    let outcome: AttemptOutcome<R>;
    try {
      outcome = await this.#handler(job, this.#abandon.signal);
    } catch (error) {
      outcome = { kind: 'failed', error: error instanceof Error ? error.message : String(error) };
    }
    const seconds = (performance.now() - started) / 1000;
    try {
      await this.#settle(job, outcome, seconds, log);
    } catch (error) {
      // The store failed: the lease runs out and the job is tried again, by whichever instance.
      log.error({ err: error }, 'could not record an outbox attempt; it will be tried again when its lease runs out');
    }
  }

  async #settle(job: J, outcome: AttemptOutcome<R>, seconds: number, log: Logger): Promise<void> {
    if (outcome.kind === 'deferred') {
      await this.#defer(job, outcome.error, seconds, log);
      return;
    }
    if (outcome.kind === 'abandoned') {
      await this.#jobs.release(job, 'abandoned while the gateway stopped');
      await this.#report(job, 'abandoned', { seconds }, log);
      return;
    }
    // The attempt was made: whatever became of it, the gateway had what it took.
    this.#shortagesInARow = 0;
    if (outcome.kind === 'delivered') {
      const held = await this.#jobs.complete(job, outcome.record);
      if (!held) log.warn('done, but the lease had been lost; it may be done again');
      await this.#report(job, held ? 'delivered' : 'lease-lost', { seconds }, log);
      return;
    }
    const retryInMs = retryDelayMs(job.attempts, this.#settings.backoff);
    const settled = await this.#jobs.fail(job, outcome.error, retryInMs, this.#markFor(job, outcome.kind));
    if (settled === 'dead')
      log.warn({ error: outcome.error, permanent: outcome.kind === 'permanent' }, 'outbox job dead-lettered');
    else if (settled === 'stalled')
      log.error(
        { error: outcome.error, retryInMs },
        'outbox job stalled: still failing after many attempts; will keep retrying',
      );
    else if (settled === 'retry') log.info({ error: outcome.error, retryInMs }, 'outbox job failed; will retry');
    else log.warn({ error: outcome.error }, 'outbox job failed, and the lease had been lost meanwhile');
    await this.#report(job, settled, { seconds, error: outcome.error, retryInMs }, log);
  }

  /**
   * A shortage of this gateway's own says nothing of the job or its receiver, so it spends no
   * attempt: without this, a gateway out of file descriptors for a while dead-letters (or flags as
   * stalled) work whose receiver was fine. The back-off grows with the shortages in a row in this
   * process, not with the job's attempts, capped like every other back-off. The job is never given up
   * for it, nor put off silently: its `last_error` names the shortage, each deferral is counted
   * (outcome `deferred`) and logged, at `error` once the shortages in a row reach the attempts
   * after which a job would be given up (`exhausted.afterAttempts`).
   */
  async #defer(job: J, error: string, seconds: number, log: Logger): Promise<void> {
    this.#shortagesInARow += 1;
    const retryInMs = retryDelayMs(this.#shortagesInARow, this.#settings.backoff);
    const settled = await this.#jobs.defer(job, error, retryInMs);
    const details = { error, retryInMs, shortagesInARow: this.#shortagesInARow };
    if (settled === 'lease-lost')
      log.warn(
        { error },
        'outbox job not tried for want of the gateway’s own resources, and the lease had been lost meanwhile',
      );
    else if (this.#shortagesInARow >= this.#settings.exhausted.afterAttempts)
      log.error(
        details,
        'the gateway has been short of its own resources for many attempts in a row: outbox jobs are put off, not given up, until it has them again',
      );
    else log.warn(details, 'outbox job put off: the gateway is short of its own resources; the attempt is not counted');
    await this.#report(job, settled, { seconds, error, retryInMs }, log);
  }

  #markFor(job: J, kind: 'failed' | 'permanent'): FailureMark {
    if (kind === 'permanent') return 'dead';
    const { afterAttempts, then } = this.#settings.exhausted;
    if (job.attempts < afterAttempts) return 'retry';
    return then === 'dead-letter' ? 'dead' : 'stalled';
  }

  async #report(
    job: J,
    outcome: SettledOutcome,
    detail: { seconds: number; error?: string; retryInMs?: number },
    log: Logger,
  ): Promise<void> {
    try {
      await this.#hooks.settled?.(job, outcome, detail);
    } catch (error) {
      log.warn({ err: error }, 'outbox settle hook failed');
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#wokenEarly || !this.#running) {
      this.#wokenEarly = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wakeUp = undefined;
        this.#wokenEarly = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeUp = done;
    });
  }

  /**
   * Waits for jobs in flight; past the grace, tells them to give up, and waits a moment more for
   * them to be given back. A handler that ignores the signal does not hold up stopping: its lease
   * runs out as if this process had crashed.
   */
  async #drain(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const all = Promise.allSettled([...this.#inFlight]);
    let timer: NodeJS.Timeout | undefined;
    const elapsed = (ms: number) => new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
    try {
      if ((await Promise.race([all, elapsed(this.#settings.stopGraceMs)])) !== 'late') return;
      this.#abandon.abort();
      clearTimeout(timer);
      if ((await Promise.race([all, elapsed(GIVE_BACK_MS)])) === 'late') {
        this.#logger.warn(
          { inFlight: this.#inFlight.size },
          'outbox jobs still in flight after stopping; their leases will run out',
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }
}
