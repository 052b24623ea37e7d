import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';
import { addJobs, createJobTable, jobQueue, jobRows, SETTINGS, testRunner, timePasses, until } from './test-queue.ts';

const LEASE_MS = SETTINGS.leaseMs;
const SHORT = 'The gateway was short of its own resources (gateway_out_of_resources).';
/** Quick back-offs, and a job given up after three failed attempts. */
const QUICK = {
  backoff: { initialMs: 1, maxMs: 20 },
  exhausted: { afterAttempts: 3, then: 'dead-letter' as const },
};

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(
    `an outbox job the gateway could not try for want of its own resources, on ${variant.name}`,
    () => {
      let store: Store;
      let other: Store;

      beforeAll(async () => {
        store = await variant.open();
        other = variant.name === 'PostgreSQL' ? await variant.reopen() : store;
      });
      afterAll(() => variant.dispose());

      it('is given back without spending an attempt, however often, and delivered once resources return, counted as one attempt', async () => {
        const table = await createJobTable(store.prisma);
        const [id] = await addJobs(store.prisma, table, 1);
        let shortages = 0;
        const { runner, settled } = testRunner(
          store.prisma,
          table,
          async () =>
            ++shortages <= 25 ? { kind: 'deferred', error: SHORT } : { kind: 'delivered', record: 'resources back' },
          QUICK,
        );
        runner.start();
        await until(() => settled.length === 26).finally(() => runner.stop());

        expect(settled.map((s) => s.outcome)).toEqual([...Array(25).fill('deferred'), 'delivered']);
        expect(settled.every((s) => s.attempts === 1)).toBe(true);
        expect(await jobRows(store.prisma, table)).toMatchObject([
          { id, status: 'DELIVERED', attempts: 1, result: 'resources back', last_error: null },
        ]);
      });

      it('stays pending meanwhile, its attempts unspent and its last error naming the shortage', async () => {
        const table = await createJobTable(store.prisma);
        const [id] = await addJobs(store.prisma, table, 1);
        const { runner, settled } = testRunner(
          store.prisma,
          table,
          async () => ({ kind: 'deferred', error: SHORT }),
          QUICK,
        );
        runner.start();
        await until(() => settled.length >= 5).finally(() => runner.stop());

        expect(await jobRows(store.prisma, table)).toMatchObject([
          { id, status: 'PENDING', attempts: 0, last_error: SHORT, stalled: false },
        ]);
      });

      it('is dead-lettered only after as many failed attempts as every other job, its deferrals not counted', async () => {
        const table = await createJobTable(store.prisma);
        await addJobs(store.prisma, table, 1);
        let tries = 0;
        const { runner, settled } = testRunner(
          store.prisma,
          table,
          async () => (++tries % 2 === 1 ? { kind: 'deferred', error: SHORT } : { kind: 'failed', error: 'HTTP 503' }),
          QUICK,
        );
        runner.start();
        await until(() => settled.some((s) => s.outcome === 'dead')).finally(() => runner.stop());

        expect(settled.map((s) => s.outcome)).toEqual(['deferred', 'retry', 'deferred', 'retry', 'deferred', 'dead']);
        expect(await jobRows(store.prisma, table)).toMatchObject([
          { status: 'DEAD', attempts: 3, last_error: 'HTTP 503' },
        ]);
      });

      it('waits a back-off between deferrals that grows with each one in a row, up to the cap', async () => {
        const table = await createJobTable(store.prisma);
        await addJobs(store.prisma, table, 1);
        const { runner, settled, delays } = testRunner(
          store.prisma,
          table,
          async () => ({ kind: 'deferred', error: SHORT }),
          { ...QUICK, backoff: { initialMs: 1, maxMs: 40 } },
        );
        runner.start();
        await until(() => settled.length >= 12).finally(() => runner.stop());

        const waits = delays.map((delay) => delay.retryInMs);
        for (const wait of waits) expect(wait).toBeGreaterThan(0);
        for (const wait of waits) expect(wait).toBeLessThanOrEqual(40);
        const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
        expect(mean(waits.slice(-4))).toBeGreaterThan(mean(waits.slice(0, 2)));
      });

      it('cannot be deferred by a holder whose lease ran out: the job stays with its new holder, attempts as claimed', async () => {
        const table = await createJobTable(store.prisma);
        const [id] = await addJobs(store.prisma, table, 1);
        const late = jobQueue(store.prisma, table);
        const taker = jobQueue(other.prisma, table);

        const [first] = await late.claim(10, LEASE_MS);
        await timePasses(store.prisma, table, LEASE_MS + 1_000);
        const [second] = await taker.claim(10, LEASE_MS);
        expect(second).toMatchObject({ key: id, attempts: 2 });

        expect(await late.defer(first!, SHORT, 0)).toBe('lease-lost');
        expect(await jobRows(store.prisma, table)).toMatchObject([
          { id, status: 'PENDING', attempts: 2, last_error: null },
        ]);
        expect(await taker.defer(second!, SHORT, 0)).toBe('deferred');
        expect(await jobRows(store.prisma, table)).toMatchObject([
          { id, status: 'PENDING', attempts: 1, last_error: SHORT },
        ]);
      });
    },
  );
}
