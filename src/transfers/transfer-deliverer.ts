import type { Logger } from 'pino';
import type { EnforcementConnector } from '../connectors/index.ts';
import type { TransferDeliveryStore } from '../store/transfer-delivery-store.ts';

export interface TransferDelivererOptions {
  /** How often to look for due deliveries besides being woken by a new transfer. Default 2000. */
  pollMs?: number;
  /** First retry delay, doubling per failed attempt up to `maxDelayMs`. Defaults 1000 and 60000. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Deliveries claimed per round. Default 20. */
  batchSize?: number;
  /** How long a claim holds before another deliverer may take it over. Default 60000. */
  leaseMs?: number;
}

/**
 * Writes stored transfers to the enforcement system in the background. A failed attempt is
 * retried with exponential back-off for as long as it takes: a transfer is never dropped, and
 * because the case system keeps one clue per transfer id, never doubled either.
 */
export class TransferDeliverer {
  private readonly options: Required<TransferDelivererOptions>;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = true;

  constructor(
    private readonly store: TransferDeliveryStore,
    private readonly enforcement: EnforcementConnector,
    private readonly logger: Logger,
    options: TransferDelivererOptions = {},
  ) {
    this.options = { pollMs: 2000, baseDelayMs: 1000, maxDelayMs: 60_000, batchSize: 20, leaseMs: 60_000, ...options };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops polling and waits for the round in flight; unfinished deliveries stay queued. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Starts a round now (after a new transfer), or right after the one in flight. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ err: error }, 'transfer delivery round failed'))
      .finally(() => {
        this.running = null;
        if (this.wakeAgain) {
          this.wakeAgain = false;
          this.wake();
        }
      });
  }

  /** Makes every waiting delivery due at once and starts a round: for when the system is known to be back. */
  async retryNow(): Promise<void> {
    await this.store.makeAllDue();
    this.wake();
  }

  /** Delivers everything due now; returns how many were delivered. */
  async drain(): Promise<number> {
    let delivered = 0;
    for (;;) {
      const claimed = await this.store.claimDue(this.options.batchSize, this.options.leaseMs);
      if (claimed.length === 0) return delivered;
      for (const { submission, attempts } of claimed) {
        try {
          const answer = await this.enforcement.submitClue(submission);
          await this.store.markDelivered(submission.transferId, answer.clueId);
          delivered += 1;
          this.logger.info({ transferId: submission.transferId, clueId: answer.clueId, created: answer.created }, 'transfer delivered to the enforcement system');
        } catch (error) {
          const delay = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** attempts);
          const message = error instanceof Error ? error.message : String(error);
          await this.store.markFailed(submission.transferId, message, new Date(Date.now() + delay));
          this.logger.warn({ transferId: submission.transferId, attempts: attempts + 1, retryInMs: delay, err: message }, 'transfer delivery failed; will retry');
        }
      }
      if (this.stopped) return delivered;
    }
  }
}
