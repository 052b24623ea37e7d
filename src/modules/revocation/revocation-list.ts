import type { Logger } from 'pino';
import type { RevokedTokens } from '../../auth/index.ts';
import { StoreUnavailableError } from '../../platform/store/store-unavailable.ts';
import type { RevokedTokenStore } from './revoked-token-store.ts';

/** Reloads missed in a row before the list is no longer trusted; never less than STALE_FLOOR_MS. */
const STALE_AFTER_REFRESHES = 5;
const STALE_FLOOR_MS = 10_000;
const STOP_WAIT_MS = 1000;
/** Expired revocations are deleted at most this often, by whichever instance gets there. */
const PURGE_EVERY_MS = 60_000;

export interface RevocationListOptions {
  /** Where revocations are read from on each reload. */
  store: RevokedTokenStore;
  refreshMs: number;
  /** A token expired less than this long ago is still accepted (the clock tolerance): its revocation is kept as long. */
  graceMs: number;
  logger: Logger;
  now?: () => number;
}

/**
 * The revoked tokens in memory, so that checking a request's token costs a map lookup. Loaded at
 * start, reloaded from the store every `refreshMs` (what another instance revoked reaches this one
 * within that), and told at once of what this instance revokes. When reloading keeps failing, the
 * list is no longer trusted after STALE_AFTER_REFRESHES intervals (at least STALE_FLOOR_MS):
 * requests with a revocable token are answered 503 STORE_UNAVAILABLE and /readyz fails, rather
 * than a token revoked elsewhere meanwhile being let through for as long as the outage lasts.
 */
export class RevocationList implements RevokedTokens {
  private revoked = new Set<string>();
  /** Told while a reload runs: the reload's answer may predate them. */
  private toldDuringReload = new Set<string>();
  private loadedAt = Number.NEGATIVE_INFINITY;
  private lastPurgeAt = Number.NEGATIVE_INFINITY;
  private lastError: unknown = null;
  /** Reloads are failing: said once when they start to, once when the list is no longer trusted. */
  private failing = false;
  private saidStale = false;
  private timer: NodeJS.Timeout | undefined;
  /** The scheduled reload running, awaited by `stop` so none normally outlives the store it reads. */
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;
  readonly staleAfterMs: number;

  constructor(private readonly options: RevocationListOptions) {
    this.now = options.now ?? Date.now;
    this.staleAfterMs = Math.max(STALE_AFTER_REFRESHES * options.refreshMs, STALE_FLOOR_MS);
  }

  /** Loads the list (a failure fails the start), then keeps reloading it until `stop`. */
  async start(): Promise<void> {
    await this.reload();
    this.schedule();
  }

  /** Waits for a reload in flight, but never longer than STOP_WAIT_MS: a hung store must not hold up a shutdown. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.running, new Promise((resolve) => (waited = setTimeout(resolve, STOP_WAIT_MS)))]);
    clearTimeout(waited);
  }

  isRevoked(issuer: string, jti: string): boolean {
    return this.revoked.has(keyOf(issuer, jti));
  }

  /** Takes effect on this instance at once; the store already holds it, for the others. */
  add(issuer: string, jti: string): void {
    const key = keyOf(issuer, jti);
    this.revoked.add(key);
    this.toldDuringReload.add(key);
  }

  assertCurrent(): void {
    if (this.now() - this.loadedAt <= this.staleAfterMs) return;
    throw new StoreUnavailableError(this.lastError);
  }

  /** For /readyz: rejects while the list is not trusted. */
  async health(): Promise<void> {
    this.assertCurrent();
  }

  /** Reads every revocation in force from the store, and now and then deletes expired ones. */
  async reload(): Promise<void> {
    const startedAt = this.now();
    this.toldDuringReload = new Set();
    const rows = await this.options.store.inForce(new Date(startedAt - this.options.graceMs));
    const revoked = new Set(rows.map((row) => keyOf(row.issuer, row.jti)));
    for (const key of this.toldDuringReload) revoked.add(key);
    this.revoked = revoked;
    this.loadedAt = startedAt;
    this.lastError = null;
    if (startedAt - this.lastPurgeAt >= PURGE_EVERY_MS) {
      this.lastPurgeAt = startedAt;
      await this.purgeExpired();
    }
  }

  /** Deletes revocations of tokens that would be refused as expired anyway; how many. */
  async purgeExpired(): Promise<number> {
    return this.options.store.purgeExpired(new Date(this.now() - this.options.graceMs));
  }

  private noteFailure(error: unknown): void {
    this.lastError = error;
    const trustedForMs = this.loadedAt + this.staleAfterMs - this.now();
    if (!this.failing) {
      this.failing = true;
      this.saidStale = false;
      this.options.logger.warn({ err: error, trustedForMs }, 'revoked tokens could not be reloaded; trying again');
    } else if (trustedForMs < 0 && !this.saidStale) {
      this.saidStale = true;
      this.options.logger.error(
        { err: error },
        'revoked tokens not reloaded for too long: requests with a revocable token answered 503 until they are',
      );
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.reload()
        .then(
          () => {
            if (this.failing) this.options.logger.warn('revoked tokens reloaded again; trusted');
            this.failing = false;
          },
          (error: unknown) => this.noteFailure(error),
        )
        .finally(() => this.schedule());
    }, this.options.refreshMs);
    this.timer.unref();
  }
}

/** Issuers are URLs and URNs, never holding a NUL: the pair cannot be mistaken for another. */
function keyOf(issuer: string, jti: string): string {
  return `${issuer}\u0000${jti}`;
}
