import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';
import { addJobs, createJobTable, jobQueue, testRunner, until } from './test-queue.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const delivered = async () => ({ kind: 'delivered' as const, record: 'done' });

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`an idle outbox on ${variant.name}`, () => {
    let store: Store;

    beforeAll(async () => {
      store = await variant.open();
    });
    afterAll(() => variant.dispose());

    it('is told when the next pending job is due: none, one due now, one retried later, one under a lease', async () => {
      const table = await createJobTable(store.prisma);
      const queue = jobQueue(store.prisma, table);
      expect(await queue.untilNextDue()).toBeNull();

      await addJobs(store.prisma, table, 1);
      expect(await queue.untilNextDue()).toBeLessThanOrEqual(0);

      const [lease] = await queue.claim(1, 60_000);
      const leased = (await queue.untilNextDue())!;
      expect(leased).toBeGreaterThan(50_000);
      expect(leased).toBeLessThanOrEqual(60_000);

      await queue.fail(lease!, 'HTTP 503', 20_000, 'retry');
      const retried = (await queue.untilNextDue())!;
      expect(retried).toBeGreaterThan(10_000);
      expect(retried).toBeLessThanOrEqual(20_000);
    });

    it('looks at the store once per idle cap while nothing is pending, not at every poll interval', async () => {
      const table = await createJobTable(store.prisma);
      const { runner, claims } = testRunner(store.prisma, table, delivered, {
        pollIntervalMs: 20,
        idlePollMaxMs: 500,
      });
      runner.start();
      await sleep(1_500);
      await runner.stop();
      // Polling every 20 ms would be some 75 looks; sleeping 500 ms between them, 3 or 4.
      expect(claims.length).toBeLessThanOrEqual(5);
    });

    it('notices a job another instance queued within the idle cap, without being woken', async () => {
      const table = await createJobTable(store.prisma);
      const { runner, settled } = testRunner(store.prisma, table, delivered, {
        pollIntervalMs: 20,
        idlePollMaxMs: 300,
      });
      runner.start();
      try {
        await sleep(100);
        const [id] = await addJobs(store.prisma, table, 1);
        const queuedAt = performance.now();
        await until(() => settled.length === 1, 5_000);
        expect(performance.now() - queuedAt).toBeLessThan(1_000);
        expect(settled).toEqual([{ key: id, outcome: 'delivered', attempts: 1 }]);
      } finally {
        await runner.stop();
      }
    });

    it('retries a failed job when it is due, long before the idle cap', async () => {
      const table = await createJobTable(store.prisma);
      await addJobs(store.prisma, table, 1);
      let attempts = 0;
      const { runner, settled } = testRunner(
        store.prisma,
        table,
        async () => (++attempts === 1 ? { kind: 'failed', error: 'HTTP 503' } : { kind: 'delivered', record: 'done' }),
        { pollIntervalMs: 20, idlePollMaxMs: 60_000, backoff: { initialMs: 200, maxMs: 200 } },
      );
      runner.start();
      try {
        await until(() => settled.length === 2, 5_000);
      } finally {
        await runner.stop();
      }
      expect(settled.map((s) => s.outcome)).toEqual(['retry', 'delivered']);
    });

    it('takes a job whose holder crashed once its lease runs out, without being woken', async () => {
      const table = await createJobTable(store.prisma);
      const [id] = await addJobs(store.prisma, table, 1);
      // The crashed holder's claim: a lease of 300 ms, never settled.
      await jobQueue(store.prisma, table).claim(1, 300);
      const { runner, settled } = testRunner(store.prisma, table, delivered, {
        pollIntervalMs: 20,
        idlePollMaxMs: 60_000,
      });
      runner.start();
      try {
        await until(() => settled.length === 1, 5_000);
      } finally {
        await runner.stop();
      }
      expect(settled).toEqual([{ key: id, outcome: 'delivered', attempts: 2 }]);
    });

    it('polls at its usual interval for a while after being told work is on its way from a transaction not yet committed', async () => {
      const table = await createJobTable(store.prisma);
      const { runner, settled } = testRunner(store.prisma, table, delivered, {
        pollIntervalMs: 20,
        idlePollMaxMs: 60_000,
      });
      runner.start();
      try {
        await sleep(100);
        runner.expectWork();
        await sleep(100);
        // The producer's commit: the rows appear without a wake.
        await addJobs(store.prisma, table, 1);
        await until(() => settled.length === 1, 5_000);
      } finally {
        await runner.stop();
      }
      expect(settled).toHaveLength(1);
    });

    it('without an idle cap polls at every interval, as before', async () => {
      const table = await createJobTable(store.prisma);
      const { runner, claims } = testRunner(store.prisma, table, delivered, { pollIntervalMs: 50 });
      runner.start();
      await sleep(1_000);
      await runner.stop();
      expect(claims.length).toBeGreaterThanOrEqual(8);
    });
  });
}
