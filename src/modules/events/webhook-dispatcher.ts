import type { Logger } from 'pino';
import { OutboxRunner, type AttemptOutcome } from '../../platform/outbox/index.ts';
import { publicFailure } from '../../platform/public-failure.ts';
import { AccessLogUnavailableError, type AccessLogWriter } from '../audit/index.ts';
import type { ClaimedDelivery, EventDeliveryStore } from './event-delivery-store.ts';
import type { WebhookMetrics } from './webhook-metrics.ts';
import type { WebhookConfig } from './webhook-config.ts';
import { webhookAccessEntry } from './webhook-access-entry.ts';
import { webhookBody } from './webhook-envelope.ts';
import { accessLogUnwritable } from './webhook-failure.ts';
import { createWebhookSender, type WebhookSender } from './webhook-sender.ts';
import { signWebhookBody } from './webhook-signature.ts';
import type { WebhookSigningKey } from './webhook-signing-key.ts';

export type DispatcherSettings = Pick<
  WebhookConfig,
  | 'timeoutMs'
  | 'maxAttempts'
  | 'retryInitialMs'
  | 'retryMaxMs'
  | 'pollIntervalMs'
  | 'maxInFlight'
  | 'stopGraceMs'
  | 'deliveredRetentionDays'
> &
  Partial<Pick<WebhookConfig, 'destinations' | 'idlePollMaxMs'>>;

/** How often old acknowledged deliveries are purged (by every instance; deleting twice is harmless). */
const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Sends the outbox's deliveries on the leased outbox (src/platform/outbox/): claims due ones
 * under a lease, signs and POSTs each, and records the outcome under the lease. Several instances
 * may run on one store; the claim keeps them apart and keeps each subject's events in order per
 * subscription. A delivery failing `maxAttempts` times, or failing for good (a sender outcome of
 * kind `permanent`), is dead-lettered until replayed.
 *
 * A send this gateway could not make for want of its own resources (out of file descriptors,
 * local ports) is deferred: given back without counting the attempt, so such a shortage never
 * dead-letters a delivery whose receiver was fine (outbox-runner.ts says how it stays visible).
 *
 * Stopping waits up to `stopGraceMs` for deliveries in flight, then abandons the rest: their
 * requests are aborted and their leases given back, so the next instance to run (this one after
 * a restart, or another) sends them again at once. A crash leaves the lease to run out instead.
 *
 * Every attempt is written to the access log before its body leaves (webhook-access-entry.ts),
 * through the writer /graphql answers wait on; while that fails nothing is sent: the attempt
 * counts as failed and is retried, and no further delivery is claimed until the log is writable.
 */
export class WebhookDispatcher {
  readonly #runner: OutboxRunner<ClaimedDelivery, undefined>;
  readonly #settings: DispatcherSettings;
  readonly #sender: WebhookSender;
  readonly #accessLog: Pick<AccessLogWriter, 'append' | 'failed'>;
  readonly #log: Logger;
  #nextPurgeAt = 0;
  #stopped: Promise<void> | undefined;

  constructor(
    store: EventDeliveryStore,
    key: WebhookSigningKey,
    settings: DispatcherSettings,
    accessLog: Pick<AccessLogWriter, 'append' | 'failed'>,
    logger: Logger,
    metrics?: WebhookMetrics,
  ) {
    this.#settings = settings;
    this.#accessLog = accessLog;
    this.#sender = createWebhookSender({ destinations: settings.destinations });
    const log = logger.child({ component: 'webhook-dispatcher' });
    this.#log = log;
    this.#runner = new OutboxRunner<ClaimedDelivery, undefined>(
      {
        // While the log cannot be written nothing could be sent: claiming would only burn attempts
        // (every claim counts one) and push deliveries into the dead letters during a log outage.
        claim: (limit, leaseMs) => (accessLog.failed ? Promise.resolve([]) : store.claim(limit, leaseMs)),
        complete: (delivery) => store.markDelivered(delivery),
        fail: (delivery, error, retryInMs, mark) => store.settleFailure(delivery, error, retryInMs, mark),
        defer: (delivery, error, retryInMs) => store.defer(delivery, error, retryInMs),
        release: (delivery, reason) => store.release(delivery, reason),
        untilNextDue: () => store.untilNextDue(),
      },
      (delivery, abandon) => this.#send(delivery, key, abandon),
      {
        name: 'webhooks',
        maxInFlight: settings.maxInFlight,
        pollIntervalMs: settings.pollIntervalMs,
        idlePollMaxMs: settings.idlePollMaxMs,
        leaseMs: this.leaseMs,
        stopGraceMs: settings.stopGraceMs,
        backoff: { initialMs: settings.retryInitialMs, maxMs: settings.retryMaxMs },
        exhausted: { afterAttempts: settings.maxAttempts, then: 'dead-letter' },
      },
      log,
      {
        settled: (_delivery, outcome, detail) => {
          if (outcome === 'lease-lost' || outcome === 'stalled') return;
          metrics?.attempted(outcome, detail.seconds);
        },
        housekeeping: () => this.#purgeWhenDue(store, log),
      },
    );
  }

  /** A lease outlives any attempt by a wide margin, so only a crashed holder's lease runs out. */
  get leaseMs(): number {
    return this.#settings.timeoutMs * 2 + 5_000;
  }

  start(): void {
    this.#runner.start();
  }

  /** Looks for due deliveries now rather than at the next poll (new events were published). */
  wake(): void {
    this.#runner.wake();
  }

  /** Events were published in a producer's transaction: they become due at its commit, unseen here. */
  expectWork(): void {
    this.#runner.expectWork();
  }

  /** Idempotent: a second call (a second signal, a test's cleanup) waits for the first. */
  stop(): Promise<void> {
    this.#stopped ??= this.#runner.stop().then(() => this.#sender.close());
    return this.#stopped;
  }

  /**
   * One attempt. What is stored with a failure is told to administrators and the subscribing
   * authority (`EventDelivery.lastError`): the error catalogue's message only (webhook-failure.ts).
   * The HTTP client's words and anything the gateway itself threw are logged here instead.
   */
  async #send(
    delivery: ClaimedDelivery,
    key: WebhookSigningKey,
    abandon: AbortSignal,
  ): Promise<AttemptOutcome<undefined>> {
    const ids = { deliveryId: delivery.id, subscriptionId: delivery.subscription.id, attempt: delivery.attempts };
    try {
      const now = new Date();
      const body = webhookBody(delivery, now);
      await this.#accessLog.append(webhookAccessEntry(delivery, body, now));
      const signature = await signWebhookBody(body, key);
      const outcome = await this.#sender.send(
        { url: delivery.subscription.webhookUrl, body, signature, eventId: delivery.event.id },
        { timeoutMs: this.#settings.timeoutMs, abandon },
      );
      if (outcome.kind === 'deferred') {
        this.#log.warn(
          { ...ids, code: outcome.failure.code, reason: outcome.failure.reason, detail: outcome.detail },
          'webhook not sent: the gateway is short of its own resources; the attempt is not counted',
        );
        return { kind: 'deferred', error: outcome.failure.message };
      }
      if (outcome.kind !== 'failed')
        return outcome.kind === 'delivered' ? { kind: 'delivered', record: undefined } : outcome;
      if (outcome.detail !== undefined)
        this.#log.warn(
          { ...ids, code: outcome.failure.code, reason: outcome.failure.reason, detail: outcome.detail },
          'webhook delivery attempt failed; its readers are told only its code and reason',
        );
      // A 4xx refusal or a forbidden destination cannot succeed by sending again: dead-letter it now.
      return { kind: outcome.permanent ? 'permanent' : 'failed', error: outcome.failure.message };
    } catch (error) {
      if (error instanceof AccessLogUnavailableError) {
        this.#log.warn(
          { ...ids, err: error },
          'webhook not sent: its access-log entry cannot be written; retried later',
        );
        return { kind: 'failed', error: accessLogUnwritable(error).message };
      }
      this.#log.error(
        { ...ids, err: error },
        'webhook delivery attempt failed in the gateway; its readers are told only its code',
      );
      return { kind: 'failed', error: publicFailure(error).message };
    }
  }

  async #purgeWhenDue(store: EventDeliveryStore, log: Logger): Promise<void> {
    if (Date.now() < this.#nextPurgeAt) return;
    this.#nextPurgeAt = Date.now() + PURGE_INTERVAL_MS;
    const purged = await store.purgeDelivered(this.#settings.deliveredRetentionDays);
    if (purged > 0) log.info({ purged }, 'purged old acknowledged webhook deliveries');
  }
}
