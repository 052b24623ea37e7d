import type { Logger } from 'pino';
import type { ClaimedDelivery, EventDeliveryStore } from '../store/event-delivery-store.ts';
import { retryDelayMs } from './retry-delay.ts';
import type { WebhookMetrics } from './webhook-metrics.ts';
import type { WebhookConfig } from './webhook-config.ts';
import { webhookBody } from './webhook-envelope.ts';
import { createWebhookSender, type WebhookSender } from './webhook-sender.ts';
import { signWebhookBody } from './webhook-signature.ts';
import type { WebhookSigningKey } from './webhook-signing-key.ts';

export type DispatcherSettings = Pick<
  WebhookConfig,
  'timeoutMs' | 'maxAttempts' | 'retryInitialMs' | 'retryMaxMs' | 'pollIntervalMs' | 'maxInFlight' | 'stopGraceMs' | 'deliveredRetentionDays'
> &
  Partial<Pick<WebhookConfig, 'destinations'>>;

/** How often old acknowledged deliveries are purged (by every instance; deleting twice is harmless). */
const PURGE_INTERVAL_MS = 3_600_000;

/**
 * Sends the outbox's deliveries: claims due ones under a lease, signs and POSTs each, and
 * records the outcome. Several instances may run on one store; the claim keeps them apart and
 * keeps each subject's events in order per subscription.
 *
 * Stopping waits up to `stopGraceMs` for deliveries in flight, then abandons the rest: their
 * requests are aborted and their leases given back, so the next instance to run (this one after
 * a restart, or another) sends them again at once. A crash leaves the lease to run out instead.
 */
export class WebhookDispatcher {
  readonly #store: EventDeliveryStore;
  readonly #key: WebhookSigningKey;
  readonly #settings: DispatcherSettings;
  readonly #logger: Logger;
  readonly #metrics: WebhookMetrics | undefined;
  readonly #inFlight = new Set<Promise<void>>();
  readonly #abandon = new AbortController();
  readonly #sender: WebhookSender;
  #running = false;
  #loop: Promise<void> | undefined;
  #wakeUp: (() => void) | undefined;
  #wokenEarly = false;
  #nextPurgeAt = 0;

  constructor(store: EventDeliveryStore, key: WebhookSigningKey, settings: DispatcherSettings, logger: Logger, metrics?: WebhookMetrics) {
    this.#store = store;
    this.#metrics = metrics;
    this.#key = key;
    this.#settings = settings;
    this.#sender = createWebhookSender({ destinations: settings.destinations });
    this.#logger = logger.child({ component: 'webhook-dispatcher' });
  }

  /** A lease outlives any attempt by a wide margin, so only a crashed holder's lease runs out. */
  get leaseMs(): number {
    return this.#settings.timeoutMs * 2 + 5_000;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  /** Looks for due deliveries now rather than at the next poll (new events were published). */
  wake(): void {
    this.#wokenEarly = true;
    this.#wakeUp?.();
  }

  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.wake();
    await this.#loop;
    await this.#sender.close();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      await this.#purgeWhenDue();
      const room = this.#settings.maxInFlight - this.#inFlight.size;
      const claimed = room > 0 ? await this.#claim(room) : [];
      for (const delivery of claimed) this.#track(this.#deliver(delivery));
      if (claimed.length === 0 || claimed.length === room) await this.#sleep();
    }
    await this.#drain();
  }

  async #purgeWhenDue(): Promise<void> {
    if (Date.now() < this.#nextPurgeAt) return;
    this.#nextPurgeAt = Date.now() + PURGE_INTERVAL_MS;
    try {
      const purged = await this.#store.purgeDelivered(this.#settings.deliveredRetentionDays);
      if (purged > 0) this.#logger.info({ purged }, 'purged old acknowledged webhook deliveries');
    } catch (error) {
      this.#logger.warn({ err: error }, 'purging old webhook deliveries failed; will try again');
    }
  }

  async #claim(limit: number): Promise<ClaimedDelivery[]> {
    try {
      return await this.#store.claim(limit, this.leaseMs);
    } catch (error) {
      this.#logger.error({ err: error }, 'claiming webhook deliveries failed; will try again');
      return [];
    }
  }

  #track(work: Promise<void>): void {
    const tracked = work.finally(() => {
      this.#inFlight.delete(tracked);
      // A settled delivery may unblock its subject's next event, and frees room.
      this.wake();
    });
    this.#inFlight.add(tracked);
  }

  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const log = this.#logger.child({ deliveryId: delivery.id, eventId: delivery.event.id, attempt: delivery.attempts });
    try {
      const body = webhookBody(delivery);
      const signature = await signWebhookBody(body, this.#key);
      const started = performance.now();
      const outcome = await this.#sender.send(
        { url: delivery.subscription.webhookUrl, body, signature, eventId: delivery.event.id },
        { timeoutMs: this.#settings.timeoutMs, abandon: this.#abandon.signal },
      );
      const seconds = (performance.now() - started) / 1000;
      if (outcome.kind === 'delivered') {
        this.#metrics?.attempted('delivered', seconds);
        if (!(await this.#store.markDelivered(delivery))) log.warn('delivered, but the lease had been lost; it may be sent again');
        return;
      }
      if (outcome.kind === 'abandoned') {
        this.#metrics?.attempted('abandoned', seconds);
        await this.#store.release(delivery, 'abandoned while the gateway stopped');
        return;
      }
      const delay = retryDelayMs(delivery.attempts, { initialMs: this.#settings.retryInitialMs, maxMs: this.#settings.retryMaxMs });
      // A permanent failure (a 4xx refusal, a forbidden destination) is dead-lettered at once.
      const maxAttempts = outcome.permanent ? delivery.attempts : this.#settings.maxAttempts;
      const settled = await this.#store.markFailed(delivery, outcome.error, delay, maxAttempts);
      if (settled !== 'lease-lost') this.#metrics?.attempted(settled, seconds);
      if (settled === 'dead') log.warn({ error: outcome.error }, 'webhook delivery dead-lettered');
      else log.info({ error: outcome.error, retryInMs: delay }, 'webhook delivery failed; will retry');
    } catch (error) {
      // The store failed: the lease runs out and the delivery is tried again, by whichever instance.
      log.error({ err: error }, 'could not record a webhook delivery outcome');
    }
  }

  #sleep(): Promise<void> {
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
      const timer = setTimeout(done, this.#settings.pollIntervalMs);
      this.#wakeUp = done;
    });
  }

  async #drain(): Promise<void> {
    if (this.#inFlight.size === 0) return;
    const grace = setTimeout(() => this.#abandon.abort(), this.#settings.stopGraceMs);
    try {
      await Promise.allSettled([...this.#inFlight]);
    } finally {
      clearTimeout(grace);
    }
  }
}
