import { Counter, Histogram, type Registry } from 'prom-client';
import { storeReadGauge } from '../../platform/store-read-gauge.ts';
import type { EventDeliveryStore } from './event-delivery-store.ts';

/** What a webhook attempt came to. */
export type AttemptOutcome = 'delivered' | 'retry' | 'dead' | 'abandoned' | 'deferred';

/** Webhook delivery metrics, on the gateway's own registry (served at /metrics). */
export function createWebhookMetrics(registry: Registry, deliveries: EventDeliveryStore) {
  const attempts = new Counter({
    name: 'gateway_webhook_attempts_total',
    help: 'Webhook delivery attempts by outcome: delivered, retry (failed, will retry), dead (dead-lettered), abandoned (gateway stopping), deferred (not made: the gateway was short of its own resources; no attempt spent).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gateway_webhook_attempt_duration_seconds',
    help: 'Time from sending a webhook to its answer (or failure).',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  // Read from the store at scrape time: the backlog is shared by every instance on it.
  storeReadGauge({
    name: 'gateway_webhook_deliveries',
    help: 'Deliveries waiting (pending) and dead-lettered, across all gateway instances on this store (absent: the store could not be read).',
    labelNames: ['status'] as const,
    registry,
    async read(set) {
      const counts = await deliveries.countUnsettled();
      set({ status: 'pending' }, counts.pending);
      set({ status: 'dead' }, counts.dead);
    },
  });
  return {
    attempted(outcome: AttemptOutcome, seconds: number) {
      attempts.inc({ outcome });
      // An attempt given up while stopping, or never made for want of resources, had no answer to time.
      if (outcome !== 'abandoned' && outcome !== 'deferred') duration.observe(seconds);
    },
  };
}

export type WebhookMetrics = ReturnType<typeof createWebhookMetrics>;
