import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { Prisma, type PrismaClient } from '../../src/generated/prisma/client.ts';
import {
  LeasedQueue,
  OutboxRunner,
  type AttemptOutcome,
  type Lease,
  type OutboxHooks,
  type OutboxRunnerSettings,
  type SettledOutcome,
} from '../../src/platform/outbox/index.ts';

/** A queue table of its own per test file, with the bookkeeping columns every outbox table has. */
export async function createJobTable(prisma: PrismaClient): Promise<string> {
  const table = `outbox_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await prisma.$executeRawUnsafe(`
    CREATE TABLE ${table} (
      id uuid PRIMARY KEY,
      seq serial,
      status text NOT NULL DEFAULT 'PENDING',
      attempts int NOT NULL DEFAULT 0,
      next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
      lease_until timestamptz(3),
      lease_token uuid,
      last_error text,
      last_attempt_at timestamptz(3),
      delivered_at timestamptz(3),
      dead_at timestamptz(3),
      stalled_at timestamptz(3),
      result text)`);
  return table;
}

export function jobQueue(prisma: PrismaClient, table: string): LeasedQueue {
  return new LeasedQueue(prisma, { table, key: 'id', order: 'c.next_attempt_at, c.seq', stalledColumn: true });
}

export async function addJobs(prisma: PrismaClient, table: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  await prisma.$executeRaw`INSERT INTO ${Prisma.raw(table)} (id) SELECT unnest(${ids}::uuid[])`;
  return ids;
}

export interface JobRow {
  id: string;
  status: string;
  attempts: number;
  result: string | null;
  last_error: string | null;
  stalled: boolean;
}

export async function jobRows(prisma: PrismaClient, table: string): Promise<JobRow[]> {
  return prisma.$queryRaw<JobRow[]>`
    SELECT id::text AS id, status, attempts, result, last_error, stalled_at IS NOT NULL AS stalled
    FROM ${Prisma.raw(table)} ORDER BY seq`;
}

/** As if `ms` had passed on the database's clock: leases and back-offs run out that much sooner. */
export async function timePasses(prisma: PrismaClient, table: string, ms: number): Promise<void> {
  await prisma.$executeRaw`
    UPDATE ${Prisma.raw(table)}
    SET next_attempt_at = next_attempt_at - ${ms}::int * interval '1 millisecond',
        lease_until = lease_until - ${ms}::int * interval '1 millisecond'`;
}

export const SETTINGS: OutboxRunnerSettings = {
  name: 'test',
  maxInFlight: 4,
  pollIntervalMs: 50,
  leaseMs: 60_000,
  stopGraceMs: 1_000,
  backoff: { initialMs: 1_000, maxMs: 60_000 },
  exhausted: { afterAttempts: 3, then: 'dead-letter' },
};

/** A runner over a test table whose handler the test supplies; every settle is recorded. */
export function testRunner(
  prisma: PrismaClient,
  table: string,
  handler: (job: Lease, abandon: AbortSignal) => Promise<AttemptOutcome<string>>,
  settings: Partial<OutboxRunnerSettings> = {},
) {
  const queue = jobQueue(prisma, table);
  const settled: Array<{ key: string; outcome: SettledOutcome; attempts: number }> = [];
  /** The back-off chosen after each failed or deferred attempt. */
  const delays: Array<{ key: string; attempts: number; retryInMs: number }> = [];
  const hooks: OutboxHooks<Lease> = {
    settled: (job, outcome, detail) => {
      settled.push({ key: job.key, outcome, attempts: job.attempts });
      if (detail.retryInMs !== undefined)
        delays.push({ key: job.key, attempts: job.attempts, retryInMs: detail.retryInMs });
    },
  };
  /** Every look at the store for due jobs. */
  const claims: number[] = [];
  const runner = new OutboxRunner<Lease, string>(
    {
      claim: (limit, leaseMs) => {
        claims.push(performance.now());
        return queue.claim(limit, leaseMs);
      },
      complete: (job, result) => queue.complete(job, Prisma.sql`result = ${result}`),
      fail: (job, error, retryInMs, mark) => queue.fail(job, error, retryInMs, mark),
      defer: (job, error, retryInMs) => queue.defer(job, error, retryInMs),
      release: (job, reason) => queue.release(job, reason),
      untilNextDue: () => queue.untilNextDue(),
    },
    handler,
    { ...SETTINGS, ...settings },
    pino({ level: 'silent' }),
    hooks,
  );
  return { runner, queue, settled, delays, claims };
}

/** Resolves when `condition` holds, checking every 20 ms; fails after `timeoutMs` (a bound on hangs). */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
