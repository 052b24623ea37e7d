import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnforcementConnector } from '../../src/connectors/index.ts';
import type { EventPublisher, LoopEvent } from '../../src/modules/events/index.ts';
import { TransferDeliverer } from '../../src/modules/transfers/transfer-deliverer.ts';
import { createTransferDeliveryMetrics } from '../../src/modules/transfers/transfer-delivery-metrics.ts';
import { TransferDeliveryStore } from '../../src/modules/transfers/transfer-delivery-store.ts';
import { TransferStore } from '../../src/modules/transfers/transfer-store.ts';
import { GatewayShortOfResourcesError } from '../../src/platform/errors.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';
import { until } from '../outbox/test-queue.ts';
import { storedTransfer } from './stored-transfer.ts';

/** An enforcement system reached only after the gateway has been short of its own descriptors `shortages` times. */
function enforcementAfterShortages(shortages: number): Pick<EnforcementConnector, 'submitClue'> & { calls: number } {
  const enforcement = {
    calls: 0,
    async submitClue() {
      enforcement.calls += 1;
      if (enforcement.calls <= shortages) throw new GatewayShortOfResourcesError('enforcement');
      return { clueId: 'XS2026000042', created: true };
    },
  };
  return enforcement;
}

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(
    `a transfer delivery while the gateway is short of its own resources, on ${variant.name}`,
    () => {
      let store: Store;
      beforeAll(async () => {
        store = await variant.open();
      });
      afterAll(() => variant.dispose());

      it('is put off without spending attempts: never flagged as stalled nor told to its sender as failing, and delivered once resources return', async () => {
        const id = await storedTransfer(store.prisma);
        const enforcement = enforcementAfterShortages(8);
        const deliveries = new TransferDeliveryStore(store.prisma);
        const registry = new Registry();
        const told: LoopEvent[] = [];
        const publisher: EventPublisher = { publish: async (events) => void told.push(...events) };
        const deliverer = new TransferDeliverer(
          deliveries,
          enforcement,
          pino({ level: 'silent' }),
          // Flagged as stalled after two failed attempts, were shortages counted as failures.
          { attempts: 2, retryInitialMs: 1, retryMaxMs: 20, pollIntervalMs: 20 },
          { publisher, metrics: createTransferDeliveryMetrics(registry, deliveries) },
        );
        const deliveryOf = async () => (await new TransferStore(store.prisma).find(id))?.delivery;
        deliverer.start();
        await until(async () => (await deliveryOf())?.status === 'DELIVERED').finally(() => deliverer.stop());

        expect(enforcement.calls).toBe(9);
        expect(await deliveryOf()).toMatchObject({
          attempts: 1,
          stalledAt: null,
          deadAt: null,
          upstreamClueId: 'XS2026000042',
        });
        expect(told).toEqual([]);
        const attempts = await registry.getSingleMetricAsString('gateway_transfer_delivery_attempts_total');
        expect(attempts).toContain('gateway_transfer_delivery_attempts_total{outcome="deferred"} 8');
        expect(attempts).toContain('gateway_transfer_delivery_attempts_total{outcome="delivered"} 1');
      });

      it('names the shortage as its last error while it waits', async () => {
        const id = await storedTransfer(store.prisma);
        const enforcement = enforcementAfterShortages(Infinity);
        const deliverer = new TransferDeliverer(
          new TransferDeliveryStore(store.prisma),
          enforcement,
          pino({ level: 'silent' }),
          { attempts: 2, retryInitialMs: 1, retryMaxMs: 20, pollIntervalMs: 20 },
        );
        deliverer.start();
        await until(() => enforcement.calls >= 5).finally(() => deliverer.stop());

        expect((await new TransferStore(store.prisma).find(id))?.delivery).toMatchObject({
          status: 'PENDING',
          attempts: 0,
          stalledAt: null,
          lastError:
            'The gateway is short of its own resources (gateway_out_of_resources) and could not call the enforcement system; try again shortly.',
        });
      });
    },
  );
}
