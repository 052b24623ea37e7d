import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../../src/platform/outbox/index.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { postgresVariant, storeVariants, TEST_DATABASE_URL } from '../support/stores.ts';
import { addJobs, createJobTable, jobQueue, jobRows, SETTINGS, testRunner, timePasses, until } from './test-queue.ts';

const LEASE_MS = SETTINGS.leaseMs;

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the leased outbox on ${variant.name}`, () => {
    let store: Store;
    /** A second gateway instance: its own connection pool on PostgreSQL; PGlite has one connection per folder. */
    let other: Store;

    beforeAll(async () => {
      store = await variant.open();
      other = variant.name === 'PostgreSQL' ? await variant.reopen() : store;
    });
    afterAll(() => variant.dispose());

    it('lets another holder take a job whose lease ran out, and refuses every settle by the late holder', async () => {
      const table = await createJobTable(store.prisma);
      const [id] = await addJobs(store.prisma, table, 1);
      const late = jobQueue(store.prisma, table);
      const taker = jobQueue(other.prisma, table);

      const [first] = await late.claim(10, LEASE_MS);
      expect(first).toMatchObject({ key: id, attempts: 1 });
      expect(await taker.claim(10, LEASE_MS)).toEqual([]);
      await timePasses(store.prisma, table, LEASE_MS + 1_000);
      const [second] = await taker.claim(10, LEASE_MS);
      expect(second).toMatchObject({ key: id, attempts: 2 });

      expect(await late.complete(first!)).toBe(false);
      expect(await late.fail(first!, 'late failure', 0, 'dead')).toBe('lease-lost');
      await late.release(first!, 'late release');
      expect(await taker.claim(10, LEASE_MS)).toEqual([]);
      expect(await taker.complete(second!)).toBe(true);
      expect(await jobRows(store.prisma, table)).toMatchObject([
        { id, status: 'DELIVERED', attempts: 2, last_error: null },
      ]);
    });

    it('does a job again after its holder crashed mid-attempt, once the lease has run out, and keeps the restarted runner’s result', async () => {
      const table = await createJobTable(store.prisma);
      const [id] = await addJobs(store.prisma, table, 1);
      let finishLate: (outcome: { kind: 'delivered'; record: string }) => void = () => undefined;
      // The crashed process: its attempt never ends of its own accord and ignores being told to stop.
      const crashed = testRunner(store.prisma, table, () => new Promise((resolve) => (finishLate = resolve)), {
        stopGraceMs: 0,
      });
      crashed.runner.start();
      await until(async () => (await jobRows(store.prisma, table))[0]!.attempts === 1);
      await crashed.runner.stop();
      expect(await jobRows(store.prisma, table)).toMatchObject([{ status: 'PENDING', attempts: 1 }]);

      const restarted = testRunner(other.prisma, table, async () => ({ kind: 'delivered', record: 'restarted' }));
      restarted.runner.start();
      try {
        // Nothing happens while the crashed holder's lease holds; then it runs out.
        await timePasses(store.prisma, table, LEASE_MS + 1_000);
        restarted.runner.wake();
        await until(() => restarted.settled.length === 1);
      } finally {
        await restarted.runner.stop();
      }
      expect(restarted.settled).toEqual([{ key: id, outcome: 'delivered', attempts: 2 }]);

      finishLate({ kind: 'delivered', record: 'crashed' });
      await until(() => crashed.settled.length === 1);
      expect(crashed.settled).toEqual([{ key: id, outcome: 'lease-lost', attempts: 1 }]);
      expect(await jobRows(store.prisma, table)).toMatchObject([
        { id, status: 'DELIVERED', attempts: 2, result: 'restarted' },
      ]);
    });

    it('retries a failed job after a jittered, capped back-off walked from its stored attempt count', async () => {
      const table = await createJobTable(store.prisma);
      const ids = await addJobs(store.prisma, table, 12);
      const backoff = { initialMs: 1_000, maxMs: 20_000 };
      const settings = { backoff, maxInFlight: 12, exhausted: { afterAttempts: 100, then: 'dead-letter' as const } };
      const failing = async () => ({ kind: 'failed' as const, error: 'HTTP 503' });
      /** The delay each job got after failing its `attempts`-th attempt, from a runner started afresh. */
      const delaysAfter = async (attempts: number) => {
        const { runner, delays } = testRunner(store.prisma, table, failing, settings);
        runner.start();
        const chosen = () => delays.filter((delay) => delay.attempts === attempts);
        await until(() => chosen().length === ids.length).finally(() => runner.stop());
        return chosen().map((delay) => delay.retryInMs);
      };

      const first = await delaysAfter(1);
      for (const delay of first) expect(delay).toBeGreaterThan(0);
      for (const delay of first) expect(delay).toBeLessThanOrEqual(backoff.maxMs);
      // Jitter: twelve jobs failing together are not all retried at the same moment.
      expect(new Set(first).size).toBeGreaterThan(1);

      // As if five more attempts had failed on other instances: the count in the store decides.
      await store.prisma.$executeRawUnsafe(
        `UPDATE ${table} SET attempts = 6, next_attempt_at = now(), lease_until = NULL, lease_token = NULL`,
      );
      const seventh = await delaysAfter(7);
      for (const delay of seventh) expect(delay).toBeLessThanOrEqual(backoff.maxMs);
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      expect(mean(seventh)).toBeGreaterThan(mean(first));
    });

    it('dead-letters a permanent failure at once, and a replay queues it again with a fresh budget', async () => {
      const table = await createJobTable(store.prisma);
      const [id] = await addJobs(store.prisma, table, 1);
      let refuse = true;
      const { runner, queue, settled } = testRunner(store.prisma, table, async () =>
        refuse
          ? { kind: 'permanent', error: 'receiver answered HTTP 400' }
          : { kind: 'delivered', record: 'after replay' },
      );
      runner.start();
      try {
        await until(() => settled.length === 1);
        expect(settled).toEqual([{ key: id, outcome: 'dead', attempts: 1 }]);
        expect(await jobRows(store.prisma, table)).toMatchObject([
          { status: 'DEAD', attempts: 1, last_error: 'receiver answered HTTP 400' },
        ]);
        expect(await queue.countUnsettled()).toEqual({ pending: 0, dead: 1, stalled: 0 });

        refuse = false;
        expect(await queue.replay([id!])).toEqual([id]);
        runner.wake();
        await until(() => settled.length === 2);
      } finally {
        await runner.stop();
      }
      expect(await jobRows(store.prisma, table)).toMatchObject([
        { status: 'DELIVERED', attempts: 1, result: 'after replay' },
      ]);
      expect(await queue.replay([id!])).toEqual([]);
    });

    it('after its attempts dead-letters a job, or, for work never given up, flags it as stalled and keeps retrying', async () => {
      const quick = {
        backoff: { initialMs: 1, maxMs: 1 },
        exhausted: { afterAttempts: 2, then: 'dead-letter' as const },
      };
      const deadTable = await createJobTable(store.prisma);
      await addJobs(store.prisma, deadTable, 1);
      const dying = testRunner(store.prisma, deadTable, async () => ({ kind: 'failed', error: 'HTTP 503' }), quick);
      dying.runner.start();
      await until(() => dying.settled.length === 2).finally(() => dying.runner.stop());
      expect(dying.settled.map((s) => s.outcome)).toEqual(['retry', 'dead']);

      const stallTable = await createJobTable(store.prisma);
      await addJobs(store.prisma, stallTable, 1);
      let failures = 0;
      const stalling = testRunner(
        store.prisma,
        stallTable,
        async () =>
          ++failures <= 3 ? { kind: 'failed', error: 'HTTP 503' } : { kind: 'delivered', record: 'at last' },
        { ...quick, exhausted: { afterAttempts: 2, then: 'flag-stalled' } },
      );
      stalling.runner.start();
      await until(() => stalling.settled.length === 4).finally(() => stalling.runner.stop());
      expect(stalling.settled.map((s) => s.outcome)).toEqual(['retry', 'stalled', 'stalled', 'delivered']);
      expect(await jobRows(store.prisma, stallTable)).toMatchObject([
        { status: 'DELIVERED', attempts: 4, stalled: true, result: 'at last' },
      ]);
    });

    it('never has more jobs in flight than allowed', async () => {
      const table = await createJobTable(store.prisma);
      await addJobs(store.prisma, table, 8);
      let inFlight = 0;
      let most = 0;
      const { runner, settled } = testRunner(
        store.prisma,
        table,
        async (job: Lease) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 30));
          inFlight -= 1;
          return { kind: 'delivered', record: job.key };
        },
        { maxInFlight: 2 },
      );
      runner.start();
      await until(() => settled.length === 8).finally(() => runner.stop());
      expect(most).toBe(2);
      expect((await jobRows(store.prisma, table)).every((row) => row.status === 'DELIVERED')).toBe(true);
    });

    it('gives back, due at once, a job still in flight when stopping outlasts the grace', async () => {
      const table = await createJobTable(store.prisma);
      const [id] = await addJobs(store.prisma, table, 1);
      const { runner, queue, settled } = testRunner(
        store.prisma,
        table,
        (_job, abandon) =>
          new Promise((resolve) => abandon.addEventListener('abort', () => resolve({ kind: 'abandoned' }))),
        { stopGraceMs: 50 },
      );
      runner.start();
      await until(async () => (await jobRows(store.prisma, table))[0]!.attempts === 1);
      await runner.stop();
      expect(settled).toEqual([{ key: id, outcome: 'abandoned', attempts: 1 }]);
      expect(await queue.claim(10, LEASE_MS)).toMatchObject([{ key: id, attempts: 2 }]);
    });
  });
}

describe.runIf(TEST_DATABASE_URL !== undefined)('the leased outbox run by two instances on one PostgreSQL', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let store: Store;
  let other: Store;

  beforeAll(async () => {
    store = await variant.open();
    other = await variant.reopen();
  });
  afterAll(() => variant.dispose());

  it('shares the jobs between two instances, each job done once', async () => {
    const table = await createJobTable(store.prisma);
    const ids = await addJobs(store.prisma, table, 40);
    const done: string[] = [];
    const handler = async (job: Lease) => {
      done.push(job.key);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { kind: 'delivered' as const, record: job.key };
    };
    const a = testRunner(store.prisma, table, handler);
    const b = testRunner(other.prisma, table, handler);
    a.runner.start();
    b.runner.start();
    try {
      await until(() => a.settled.length + b.settled.length === 40);
    } finally {
      await Promise.all([a.runner.stop(), b.runner.stop()]);
    }
    expect([...done].sort()).toEqual([...ids].sort());
    expect([...a.settled, ...b.settled].every((s) => s.outcome === 'delivered' && s.attempts === 1)).toBe(true);
  });
});
