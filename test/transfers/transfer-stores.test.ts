import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/open-store.ts';
import { TransferDeliveryStore } from '../../src/store/transfer-delivery-store.ts';
import { TransferStore } from '../../src/store/transfer-store.ts';
import { storeVariants } from '../support/stores.ts';

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

    async function storedTransfer(): Promise<string> {
      const at = new Date();
      const transfer = await new TransferStore(store.prisma).create(
        {
          subjectUscc: '91330381MA2G2YEE23',
          townshipCode: '330381001',
          powerItemCode: '330381-CF-0001',
          findings: 'test',
          evidenceRefs: [],
          inspectionId: null,
          senderCode: `S-${randomUUID()}`,
          receiverCode: '330381001-ZFD',
          routedBy: 'DELEGATED',
          status: 'SENT',
          receivedOn: '2025-03-10',
          answerDueOn: '2025-03-17',
          extended: false,
          answeredOn: null,
          caseNo: null,
          decisionNo: null,
        },
        { kind: 'SENT', fromStatus: null, toStatus: 'SENT', actorSubject: 'test', actorAuthorityCode: 'S', at, reason: null, caseNo: null, decisionNo: null, note: null },
      );
      return transfer.id;
    }

    /** Claims everything due, keeping only the given transfers (other tests' may be due too). */
    async function claimed(deliveries: TransferDeliveryStore, ids: readonly string[], now?: Date): Promise<string[]> {
      const mine: string[] = [];
      for (;;) {
        const batch = await deliveries.claimDue(50, LEASE_MS, now);
        if (batch.length === 0) return mine.sort();
        mine.push(...batch.map((c) => c.submission.transferId).filter((id) => ids.includes(id)));
      }
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
      expect(await claimed(new TransferDeliveryStore(store.prisma), ids, new Date(Date.now() + LEASE_MS + 1000))).toEqual([...ids].sort());
    });

    it('retries a failed delivery only when its back-off has passed, and never a delivered one', async () => {
      const deliveries = new TransferDeliveryStore(store.prisma);
      const [failed, done] = [await storedTransfer(), await storedTransfer()];
      await claimed(deliveries, [failed, done]);
      await deliveries.markFailed(failed, 'The enforcement system is unavailable (connection_refused).', new Date(Date.now() + 30_000));
      await deliveries.markDelivered(done, 'XS2026000001');
      const later = new Date(Date.now() + LEASE_MS + 60_000);
      expect(await claimed(deliveries, [failed, done], new Date(Date.now() + 1000))).toEqual([]);
      expect(await claimed(deliveries, [failed, done], later)).toEqual([failed]);
      const view = await new TransferStore(store.prisma).find(failed);
      expect(view?.delivery).toMatchObject({ status: 'PENDING', attempts: 1, lastError: expect.stringContaining('connection_refused') });
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
