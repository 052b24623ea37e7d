import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { TransferDeliveryStore, type ClaimedDelivery } from '../../src/modules/transfers/transfer-delivery-store.ts';
import { TransferStore } from '../../src/modules/transfers/transfer-store.ts';
import { storeVariants } from '../support/stores.ts';
import { storedTransfer as storedTransferIn } from './stored-transfer.ts';

const LEASE_MS = 60_000;

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`transfer stores on ${variant.name}`, () => {
    let store: Store;
    /** A second gateway instance: its own connection pool on PostgreSQL; PGlite has one connection per folder. */
    let other: Store;

    beforeAll(async () => {
      store = await variant.open();
      other = variant.name === 'PostgreSQL' ? await variant.reopen() : store;
    });
    afterAll(() => variant.dispose());

    const storedTransfer = () => storedTransferIn(store.prisma);

    /** Claims everything due, keeping only the given transfers (other tests' may be due too). */
    async function claimedLeases(
      deliveries: TransferDeliveryStore,
      ids: readonly string[],
    ): Promise<ClaimedDelivery[]> {
      const mine: ClaimedDelivery[] = [];
      for (;;) {
        const batch = await deliveries.claim(50, LEASE_MS);
        if (batch.length === 0) return mine.sort((a, b) => a.key.localeCompare(b.key));
        mine.push(...batch.filter((c) => ids.includes(c.submission.transferId)));
      }
    }

    async function claimed(deliveries: TransferDeliveryStore, ids: readonly string[]): Promise<string[]> {
      return (await claimedLeases(deliveries, ids)).map((c) => c.submission.transferId);
    }

    /** As if `ms` had passed on the database's clock (the one leases and back-offs are measured by) for these transfers. */
    async function timePasses(ids: readonly string[], ms: number): Promise<void> {
      await store.prisma.$executeRaw`
        UPDATE clue_transfer_delivery
        SET next_attempt_at = next_attempt_at - ${ms}::int * interval '1 millisecond',
            lease_until = lease_until - ${ms}::int * interval '1 millisecond'
        WHERE transfer_id = ANY(${[...ids]}::uuid[])`;
    }

    it('stores a transfer with its SENT step and a pending delivery in one go', async () => {
      const id = await storedTransfer();
      const found = await new TransferStore(store.prisma).find(id);
      expect(found?.steps.map((s) => [s.seq, s.kind])).toEqual([[1, 'SENT']]);
      expect(found?.delivery).toMatchObject({ status: 'PENDING', attempts: 0 });
    });

    it('gives each due delivery to one claimant only while its lease holds', async () => {
      const ids = [await storedTransfer(), await storedTransfer(), await storedTransfer()];
      const [first, second] = await Promise.all([
        claimed(new TransferDeliveryStore(store.prisma), ids),
        claimed(new TransferDeliveryStore(other.prisma), ids),
      ]);
      expect([...first, ...second].sort()).toEqual([...ids].sort());
      expect(first.filter((id) => second.includes(id))).toEqual([]);
      expect(await claimed(new TransferDeliveryStore(store.prisma), ids)).toEqual([]);
      // A claimant that died holds nothing once its lease has run out.
      await timePasses(ids, LEASE_MS + 1000);
      expect(await claimed(new TransferDeliveryStore(store.prisma), ids)).toEqual([...ids].sort());
    });

    it('retries a failed delivery only when its back-off has passed, and never a delivered one', async () => {
      const deliveries = new TransferDeliveryStore(store.prisma);
      const [failed, done] = [await storedTransfer(), await storedTransfer()];
      const leases = await claimedLeases(deliveries, [failed, done]);
      const lease = (id: string) => leases.find((c) => c.key === id)!;
      await deliveries.markFailed(
        lease(failed),
        'The enforcement system is unavailable (connection_refused).',
        30_000,
        'retry',
      );
      await deliveries.markDelivered(lease(done), 'XS2026000001');
      await timePasses([failed, done], 1000);
      expect(await claimed(deliveries, [failed, done])).toEqual([]);
      // Read before the next claim: attempts are counted when claimed (a crash mid-attempt counts too).
      const view = await new TransferStore(store.prisma).find(failed);
      expect(view?.delivery).toMatchObject({
        status: 'PENDING',
        attempts: 1,
        lastError: expect.stringContaining('connection_refused'),
      });
      await timePasses([failed, done], LEASE_MS + 60_000);
      expect(await claimed(deliveries, [failed, done])).toEqual([failed]);
    });

    it('refuses the settle of a deliverer whose lease ran out once another instance took the delivery over', async () => {
      const id = await storedTransfer();
      const [late] = await claimedLeases(new TransferDeliveryStore(store.prisma), [id]);
      await timePasses([id], LEASE_MS + 1000);
      const [taker] = await claimedLeases(new TransferDeliveryStore(other.prisma), [id]);
      expect(taker).toMatchObject({ key: id, attempts: 2 });
      const deliveries = new TransferDeliveryStore(store.prisma);
      expect(await deliveries.markDelivered(late!, 'XS-LATE')).toBe(false);
      expect(await deliveries.markFailed(late!, 'late failure', 0, 'dead')).toBe('lease-lost');
      expect(await new TransferDeliveryStore(other.prisma).markDelivered(taker!, 'XS2026000002')).toBe(true);
      const view = await new TransferStore(store.prisma).find(id);
      expect(view?.delivery).toMatchObject({
        status: 'DELIVERED',
        attempts: 2,
        upstreamClueId: 'XS2026000002',
        deadAt: null,
      });
    });

    it('serialises two requests under one idempotency key, across instances too', async () => {
      const key = randomUUID();
      const order: string[] = [];
      const holder = new TransferStore(store.prisma).transaction(async (tx) => {
        await tx.lockIdempotencyKey('A', key);
        order.push('first locked');
        await new Promise((resolve) => setTimeout(resolve, 300));
        order.push('first done');
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
      const waiter = new TransferStore(other.prisma).transaction(async (tx) => {
        await tx.lockIdempotencyKey('A', key);
        order.push('second locked');
      });
      await Promise.all([holder, waiter]);
      expect(order).toEqual(['first locked', 'first done', 'second locked']);
    });
  });
}
