import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventDeliveryStore, type ClaimedDelivery } from '../../src/modules/events/event-delivery-store.ts';
import { EventOutbox } from '../../src/modules/events/event-outbox.ts';
import { EventSubscriptionStore } from '../../src/modules/events/event-subscription-store.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';
import { freshAuthority, penaltyDecided } from './loop-events.ts';

const LEASE_MS = 60_000;

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`delivery claims on ${variant.name}`, () => {
    let store: Store;
    /** A second gateway instance: its own connection pool on PostgreSQL; PGlite has one connection per folder. */
    let other: Store;

    beforeAll(async () => {
      store = await variant.open();
      other = variant.name === 'PostgreSQL' ? await variant.reopen() : store;
    });
    afterAll(() => variant.dispose());

    async function subscribed() {
      const authority = freshAuthority();
      const subscription = await new EventSubscriptionStore(store.prisma).create(
        { authorityCode: authority, kinds: ['PENALTY_DECIDED'], webhookUrl: 'https://receiver.example/hook' },
        'test',
      );
      return { authority, subscription };
    }

    /** Claims until nothing is left, keeping only this subscription's deliveries (other tests' may be due too). */
    async function claimAll(
      deliveries: EventDeliveryStore,
      subscriptionId: string,
      limit: number,
    ): Promise<ClaimedDelivery[]> {
      const mine: ClaimedDelivery[] = [];
      for (;;) {
        const batch = await deliveries.claim(limit, LEASE_MS);
        if (batch.length === 0) return mine;
        mine.push(...batch.filter((delivery) => delivery.subscription.id === subscriptionId));
      }
    }

    it('never gives one delivery to two instances claiming at the same time', async () => {
      const { authority, subscription } = await subscribed();
      const events = Array.from({ length: 40 }, (_, i) => penaltyDecided(`SUBJECT-RACE-${i}`, authority));
      await new EventOutbox(store.prisma).publish(events);

      const [a, b] = await Promise.all([
        claimAll(new EventDeliveryStore(store.prisma), subscription.id, 7),
        claimAll(new EventDeliveryStore(other.prisma), subscription.id, 7),
      ]);

      const idsA = a.map((delivery) => delivery.id);
      const idsB = b.map((delivery) => delivery.id);
      expect(idsA.filter((id) => idsB.includes(id))).toEqual([]);
      expect(idsA.length + idsB.length).toBe(40);
    });

    it('holds back a subject’s later event while an earlier one is pending, between retries too, until it is dead-lettered', async () => {
      const { authority, subscription } = await subscribed();
      const deliveries = new EventDeliveryStore(store.prisma);
      const [earlier, later] = [
        penaltyDecided('SUBJECT-ORDER', authority, { n: 1 }),
        penaltyDecided('SUBJECT-ORDER', authority, { n: 2 }),
      ];
      await new EventOutbox(store.prisma).publish([earlier, later]);

      const first = await claimAll(deliveries, subscription.id, 10);
      expect(first.map((delivery) => delivery.event.dedupeKey)).toEqual([earlier.dedupeKey]);
      expect(await deliveries.markFailed(first[0]!, 'receiver answered HTTP 500', 0, 2)).toBe('retry');

      const second = await claimAll(deliveries, subscription.id, 10);
      expect(second.map((delivery) => [delivery.event.dedupeKey, delivery.attempts])).toEqual([[earlier.dedupeKey, 2]]);
      expect(await deliveries.markFailed(second[0]!, 'receiver answered HTTP 500', 0, 2)).toBe('dead');

      const third = await claimAll(deliveries, subscription.id, 10);
      expect(third.map((delivery) => delivery.event.dedupeKey)).toEqual([later.dedupeKey]);
    });

    it('lets another instance take over a delivery whose lease ran out, and the old holder can no longer settle it', async () => {
      const { authority, subscription } = await subscribed();
      await new EventOutbox(store.prisma).publish([penaltyDecided('SUBJECT-LEASE', authority)]);
      const crashed = new EventDeliveryStore(store.prisma);
      const survivor = new EventDeliveryStore(other.prisma);

      const [held] = (await crashed.claim(100, 150)).filter((delivery) => delivery.subscription.id === subscription.id);
      expect(await claimAll(survivor, subscription.id, 10)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [takenOver] = await claimAll(survivor, subscription.id, 10);

      expect(takenOver).toMatchObject({ id: held!.id, attempts: 2 });
      expect(await crashed.markDelivered(held!)).toBe(false);
      expect(await survivor.markDelivered(takenOver!)).toBe(true);
    });

    it('purges acknowledged deliveries past the retention, keeping their events, recent ones and dead letters', async () => {
      const { authority, subscription } = await subscribed();
      const deliveries = new EventDeliveryStore(store.prisma);
      const [old, recent, dead] = ['old', 'recent', 'dead'].map((label) =>
        penaltyDecided(`SUBJECT-PURGE-${label}`, authority),
      );
      await new EventOutbox(store.prisma).publish([old!, recent!, dead!]);
      const claimed = await claimAll(deliveries, subscription.id, 10);
      const byKey = (key: string) => claimed.find((delivery) => delivery.event.dedupeKey === key)!;
      await deliveries.markDelivered(byKey(old!.dedupeKey));
      await deliveries.markDelivered(byKey(recent!.dedupeKey));
      await deliveries.markFailed(byKey(dead!.dedupeKey), 'receiver answered HTTP 500', 0, 1);
      const longAgo = new Date(Date.now() - 31 * 86_400_000);
      await store.prisma.eventDelivery.updateMany({
        where: { subscriptionId: subscription.id, event: { dedupeKey: { in: [old!.dedupeKey, dead!.dedupeKey] } } },
        data: { deliveredAt: longAgo, deadAt: longAgo, createdAt: longAgo },
      });
      await store.prisma.eventDelivery.updateMany({
        where: { subscriptionId: subscription.id, status: 'DEAD' },
        data: { deliveredAt: null },
      });

      await deliveries.purgeDelivered(30);

      const left = await store.prisma.eventDelivery.findMany({
        where: { subscriptionId: subscription.id },
        include: { event: true },
      });
      expect(left.map((delivery) => delivery.event.dedupeKey).sort()).toEqual(
        [recent!.dedupeKey, dead!.dedupeKey].sort(),
      );
      expect(await store.prisma.outboxEvent.count({ where: { dedupeKey: old!.dedupeKey } })).toBe(1);
    });

    it('writes events in the producer’s transaction: nothing is left when it rolls back', async () => {
      const { authority, subscription } = await subscribed();
      const outbox = new EventOutbox(store.prisma);
      const rolledBack = penaltyDecided('SUBJECT-TX', authority);
      const committed = penaltyDecided('SUBJECT-TX', authority);

      await expect(
        store.prisma.$transaction(async (tx) => {
          await outbox.publish([rolledBack], tx);
          throw new Error('the producer failed after publishing');
        }),
      ).rejects.toThrow('the producer failed');
      await store.prisma.$transaction((tx) => outbox.publish([committed], tx));

      const stored = await store.prisma.outboxEvent.findMany({
        where: { subjectUscc: 'SUBJECT-TX' },
        select: { dedupeKey: true },
      });
      expect(stored.map((event) => event.dedupeKey)).toEqual([committed.dedupeKey]);
      expect(await store.prisma.eventDelivery.count({ where: { subscriptionId: subscription.id } })).toBe(1);
    });

    it('refuses to publish an event of an unknown kind, naming it', async () => {
      const event = { ...penaltyDecided('SUBJECT-BAD', 'TEST-NONE'), kind: 'PERMIT_LOST' as never };
      await expect(new EventOutbox(store.prisma).publish([event])).rejects.toThrow(
        'kind "PERMIT_LOST" is not a loop event kind',
      );
    });
  });
}
