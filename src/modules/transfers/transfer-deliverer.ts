import type { Logger } from 'pino';
import type { EnforcementConnector } from '../../connectors/index.ts';
import type { EventPublisher } from '../events/index.ts';
import { OutboxRunner, type SettledOutcome } from '../../platform/outbox/index.ts';
import type { ClaimedDelivery, TransferDeliveryStore } from './transfer-delivery-store.ts';
import { TRANSFER_DELIVERY_DEFAULTS, type TransferDeliveryConfig } from './transfer-delivery-config.ts';
import type { TransferDeliveryMetrics } from './transfer-delivery-metrics.ts';
import { submitTransfer } from './transfer-submission.ts';

export type TransferDelivererOptions = Partial<TransferDeliveryConfig>;

/**
 * Writes stored transfers to the enforcement system in the background, on the leased outbox.
 *
 * A transfer is never given up silently. A failure retrying can fix (the system down, slow, or
 * answering 5xx or 429) is retried for as long as it takes, at a back-off capped at
 * `retryMaxMs`; after `attempts` failures the delivery is flagged as stalled (`stalledAt`,
 * `gateway_transfer_deliveries{status="stalled"}`, an error log, and a
 * `TRANSFER_DELIVERY_FAILING` event to the sender) and still retried. Only when the system
 * refuses the submission itself (HTTP 4xx: retrying the same request cannot help) is the delivery
 * dead-lettered at once (`status: DEAD`, the same metric and event), until `replay` queues it
 * again. Because the case system keeps one clue per transfer id, a repeat never doubles a clue.
 */
export class TransferDeliverer {
  readonly #runner: OutboxRunner<ClaimedDelivery, string>;
  readonly #store: TransferDeliveryStore;

  constructor(
    store: TransferDeliveryStore,
    enforcement: Pick<EnforcementConnector, 'submitClue'>,
    logger: Logger,
    options: TransferDelivererOptions = {},
    observers: { publisher?: EventPublisher; metrics?: TransferDeliveryMetrics } = {},
  ) {
    this.#store = store;
    const settings = { ...TRANSFER_DELIVERY_DEFAULTS, ...options };
    const log = logger.child({ component: 'transfer-deliverer' });
    this.#runner = new OutboxRunner<ClaimedDelivery, string>(
      {
        claim: (limit, leaseMs) => store.claim(limit, leaseMs),
        complete: (job, clueId) => store.markDelivered(job, clueId),
        fail: (job, error, retryInMs, mark) => store.markFailed(job, error, retryInMs, mark),
        defer: (job, error, retryInMs) => store.defer(job, error, retryInMs),
        release: (job, reason) => store.release(job, reason),
        untilNextDue: () => store.untilNextDue(),
      },
      async (job) => submitTransfer(enforcement, job, log),
      {
        name: 'transfer-delivery',
        maxInFlight: settings.maxInFlight,
        pollIntervalMs: settings.pollIntervalMs,
        idlePollMaxMs: settings.idlePollMaxMs,
        leaseMs: settings.leaseMs,
        stopGraceMs: settings.stopGraceMs,
        backoff: { initialMs: settings.retryInitialMs, maxMs: settings.retryMaxMs },
        exhausted: { afterAttempts: settings.attempts, then: 'flag-stalled' },
      },
      logger,
      {
        settled: async (job, outcome, detail) => {
          observers.metrics?.attempted(outcome);
          if (outcome === 'delivered')
            log.info({ transferId: job.key, attempts: job.attempts }, 'transfer delivered to the enforcement system');
          // Told once per stall (the attempt that reached the threshold) and once per dead letter.
          const failing = outcome === 'dead' || (outcome === 'stalled' && job.attempts === settings.attempts);
          if (failing && observers.publisher)
            await observers.publisher.publish([failingEvent(job, outcome, detail.error)]);
        },
      },
    );
  }

  start(): void {
    this.#runner.start();
  }

  /** Stops claiming; deliveries in flight finish within the grace or are given back (unfinished ones stay queued). */
  stop(): Promise<void> {
    return this.#runner.stop();
  }

  /** Looks for due deliveries now (a new transfer was stored). */
  wake(): void {
    this.#runner.wake();
  }

  /** Makes every waiting delivery due at once and starts a round: for when the system is known to be back. */
  async retryNow(): Promise<void> {
    await this.#store.makeAllDue();
    this.wake();
  }

  /** Queues dead-lettered deliveries again with a fresh budget; returns the transfer ids revived. */
  async replay(transferIds: readonly string[]): Promise<string[]> {
    const revived = await this.#store.replay(transferIds);
    if (revived.length > 0) this.wake();
    return revived;
  }
}

function failingEvent(job: ClaimedDelivery, outcome: SettledOutcome, error: string | undefined) {
  const state = outcome === 'dead' ? 'DEAD' : 'STALLED';
  return {
    kind: 'TRANSFER_DELIVERY_FAILING' as const,
    subjectUscc: job.submission.subjectUscc,
    concerns: [job.submission.senderCode],
    occurredAt: new Date(),
    // One event per stall or dead letter: the lease token is unique to the attempt that caused it.
    dedupeKey: `TRANSFER_DELIVERY_FAILING:${job.key}:${state}:${job.leaseToken}`,
    payload: {
      transferId: job.key,
      state,
      attempts: job.attempts,
      lastError: error ?? null,
      senderCode: job.submission.senderCode,
      receiverCode: job.submission.receiverCode,
      powerItemCode: job.submission.powerItemCode,
    },
  };
}
