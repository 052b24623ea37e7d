import { Counter, type Registry } from 'prom-client';
import { storeReadGauge } from '../../platform/store-read-gauge.ts';
import type { SettledOutcome } from '../../platform/outbox/index.ts';
import type { TransferDeliveryStore } from './transfer-delivery-store.ts';

/** Transfer delivery metrics, on the gateway's own registry (served at /metrics). */
export function createTransferDeliveryMetrics(registry: Registry, deliveries: TransferDeliveryStore) {
  const attempts = new Counter({
    name: 'gateway_transfer_delivery_attempts_total',
    help: 'Attempts to write a transfer to the enforcement system, by outcome: delivered, retry, stalled (failing long; still retried), dead (refused by the system; waits for a replay), abandoned (gateway stopping), deferred (not made: the gateway was short of its own resources; no attempt spent), lease-lost.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // Read from the store at scrape time: the backlog is shared by every instance on it.
  storeReadGauge({
    name: 'gateway_transfer_deliveries',
    help: 'Transfers not yet in the enforcement system, across all gateway instances on this store: pending (stalled included), stalled (failing long), dead (dead-lettered); absent: the store could not be read.',
    labelNames: ['status'] as const,
    registry,
    async read(set) {
      const counts = await deliveries.countUnsettled();
      set({ status: 'pending' }, counts.pending);
      set({ status: 'stalled' }, counts.stalled);
      set({ status: 'dead' }, counts.dead);
    },
  });
  return {
    attempted(outcome: SettledOutcome) {
      attempts.inc({ outcome });
    },
  };
}

export type TransferDeliveryMetrics = ReturnType<typeof createTransferDeliveryMetrics>;
