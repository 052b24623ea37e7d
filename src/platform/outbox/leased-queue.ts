import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';

/**
 * A table that holds one outbox's jobs. Every such table has the same bookkeeping columns:
 * `status` (PENDING, DELIVERED or DEAD), `attempts`, `next_attempt_at`, `lease_until`,
 * `lease_token` (uuid), `last_error`, `last_attempt_at`, `delivered_at` and `dead_at`; a
 * `stalled_at` column too when `stalledColumn` is set. The names below are constants of the
 * code, never input.
 */
export interface QueueTable {
  /** The table, e.g. `event_delivery`. */
  table: string;
  /** Its uuid primary-key column. */
  key: string;
  /** Claim order among due jobs, over the alias `c`; ends with a unique column for a stable order. */
  order: string;
  /**
   * A further condition a due job `c` must meet to be claimed, e.g. that it heads its ordered
   * queue. Jobs held back by it keep their place and are claimed once it holds.
   */
  claimable?: string;
  /** The table has a `stalled_at` column: set when a job that is never given up has failed long. */
  stalledColumn?: boolean;
}

/** A job this process holds the lease of; only the holder of `leaseToken` may settle it. */
export interface Lease {
  key: string;
  /**
   * Attempts so far, this one included (counted when claimed, so a crash mid-attempt counts; given
   * back by `defer` when the gateway could not make the attempt for want of its own resources).
   */
  attempts: number;
  leaseToken: string;
}

/** How a failed attempt is recorded: due again later, due again later and flagged as stalled, or dead-lettered. */
export type FailureMark = 'retry' | 'stalled' | 'dead';

/** What settling did; `lease-lost` when the lease had run out and another holder took the job. */
export type FailureSettled = FailureMark | 'lease-lost';

/** What a deferral did; `lease-lost` as for a failure. */
export type DeferralSettled = 'deferred' | 'lease-lost';

/**
 * The leased outbox's SQL, the same for every queue table. Claims take jobs under a lease with
 * `FOR UPDATE SKIP LOCKED`, so instances on one PostgreSQL never hold one job at once; every
 * settle names the lease token, so a holder whose lease ran out (and whose job another instance
 * took over) can no longer settle it. Every time is the database's `now()`: instances with
 * drifting clocks agree on what is due and whose lease has run out.
 */
export class LeasedQueue {
  readonly #prisma: PrismaClient;
  readonly #table: Prisma.Sql;
  readonly #key: Prisma.Sql;
  readonly #order: Prisma.Sql;
  readonly #claimable: Prisma.Sql;
  readonly #stalled: boolean;

  constructor(prisma: PrismaClient, table: QueueTable) {
    this.#prisma = prisma;
    this.#table = Prisma.raw(table.table);
    this.#key = Prisma.raw(table.key);
    this.#order = Prisma.raw(table.order);
    this.#claimable = table.claimable ? Prisma.raw(`AND (${table.claimable})`) : Prisma.empty;
    this.#stalled = table.stalledColumn ?? false;
  }

  /** Leases up to `limit` due jobs for `leaseMs` and counts the attempt; a lapsed lease makes a job claimable again. */
  async claim(limit: number, leaseMs: number): Promise<Lease[]> {
    const leaseToken = randomUUID();
    // Under READ COMMITTED a row locked after waiting is re-checked against the WHERE clause, so
    // a job claimed a moment ago by another instance is not claimed twice.
    const rows = await this.#prisma.$queryRaw<Array<{ key: string; attempts: number }>>`
      UPDATE ${this.#table} d
      SET lease_until = now() + ${Math.max(1, Math.round(leaseMs))}::int * interval '1 millisecond',
          lease_token = ${leaseToken}::uuid,
          attempts = d.attempts + 1,
          last_attempt_at = now()
      FROM (
        SELECT c.${this.#key} AS key FROM ${this.#table} c
        WHERE c.status = 'PENDING'
          AND c.next_attempt_at <= now()
          AND (c.lease_until IS NULL OR c.lease_until < now())
          ${this.#claimable}
        ORDER BY ${this.#order}
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      ) picked
      WHERE d.${this.#key} = picked.key
      RETURNING d.${this.#key}::text AS key, d.attempts AS attempts`;
    return rows.map((row) => ({ key: row.key, attempts: Number(row.attempts), leaseToken }));
  }

  /**
   * Milliseconds until a pending job could next be claimed (its retry due and any lease run out),
   * by the database's clock: 0 or less when one is claimable now, null when none is pending. Jobs
   * `claimable` holds back are left out: they wait for the one ahead of them, whose settling wakes
   * the runner that holds it.
   */
  async untilNextDue(): Promise<number | null> {
    const [row] = await this.#prisma.$queryRaw<Array<{ ms: number | null }>>`
      SELECT (extract(epoch FROM min(GREATEST(c.next_attempt_at, c.lease_until)) - now()) * 1000)::float8 AS ms
      FROM ${this.#table} c
      WHERE c.status = 'PENDING' ${this.#claimable}`;
    return row?.ms ?? null;
  }

  /** Marks a job done; false when the lease was lost meanwhile. `also` sets further columns in the same update. */
  async complete(lease: Lease, also: Prisma.Sql = Prisma.empty): Promise<boolean> {
    const extra = also === Prisma.empty ? Prisma.empty : Prisma.sql`, ${also}`;
    const count = await this.#prisma.$executeRaw`
      UPDATE ${this.#table}
      SET status = 'DELIVERED', delivered_at = now(), lease_until = NULL, lease_token = NULL, last_error = NULL ${extra}
      WHERE ${this.#key} = ${lease.key}::uuid AND lease_token = ${lease.leaseToken}::uuid AND status = 'PENDING'`;
    return count === 1;
  }

  /**
   * Records a failed attempt: due again after `retryInMs` (flagged as stalled with `stalled`), or
   * dead-lettered. Refused (`lease-lost`) when the lease is no longer this holder's.
   */
  async fail(lease: Lease, error: string, retryInMs: number, mark: FailureMark): Promise<FailureSettled> {
    const dead = mark === 'dead';
    const stalled =
      this.#stalled && mark === 'stalled' ? Prisma.sql`, stalled_at = COALESCE(stalled_at, now())` : Prisma.empty;
    const count = await this.#prisma.$executeRaw`
      UPDATE ${this.#table}
      SET status = ${dead ? 'DEAD' : 'PENDING'},
          dead_at = CASE WHEN ${dead} THEN now() ELSE NULL END,
          next_attempt_at = now() + ${Math.max(0, Math.round(retryInMs))}::int * interval '1 millisecond',
          last_error = ${error.slice(0, 500)},
          lease_until = NULL,
          lease_token = NULL ${stalled}
      WHERE ${this.#key} = ${lease.key}::uuid AND lease_token = ${lease.leaseToken}::uuid AND status = 'PENDING'`;
    return count === 1 ? mark : 'lease-lost';
  }

  /**
   * Gives a job back without spending its attempt: it was never made, for this gateway was short of
   * its own resources (file descriptors, local ports, memory), which says nothing of the job or its
   * receiver. Due again after `retryInMs`; `last_error` says why, so a job put off again and again
   * is seen to be. Refused (`lease-lost`) when the lease is no longer this holder's.
   */
  async defer(lease: Lease, error: string, retryInMs: number): Promise<DeferralSettled> {
    const count = await this.#prisma.$executeRaw`
      UPDATE ${this.#table}
      SET attempts = GREATEST(attempts - 1, 0),
          next_attempt_at = now() + ${Math.max(0, Math.round(retryInMs))}::int * interval '1 millisecond',
          last_error = ${error.slice(0, 500)},
          lease_until = NULL,
          lease_token = NULL
      WHERE ${this.#key} = ${lease.key}::uuid AND lease_token = ${lease.leaseToken}::uuid AND status = 'PENDING'`;
    return count === 1 ? 'deferred' : 'lease-lost';
  }

  /** Gives a job back unsettled (the process is stopping): due at once. The attempt stays counted. */
  async release(lease: Lease, reason: string): Promise<void> {
    await this.#prisma.$executeRaw`
      UPDATE ${this.#table}
      SET lease_until = NULL, lease_token = NULL, next_attempt_at = now(), last_error = ${reason}
      WHERE ${this.#key} = ${lease.key}::uuid AND lease_token = ${lease.leaseToken}::uuid AND status = 'PENDING'`;
  }

  /** Queues dead letters again with a fresh budget of attempts; returns the keys revived. */
  async replay(keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) return [];
    const clearStalled = this.#stalled ? Prisma.sql`, stalled_at = NULL` : Prisma.empty;
    const rows = await this.#prisma.$queryRaw<Array<{ key: string }>>`
      UPDATE ${this.#table}
      SET status = 'PENDING', attempts = 0, next_attempt_at = now(), dead_at = NULL, lease_until = NULL, lease_token = NULL ${clearStalled}
      WHERE ${this.#key} = ANY(${[...keys]}::uuid[]) AND status = 'DEAD'
      RETURNING ${this.#key}::text AS key`;
    return rows.map((row) => row.key);
  }

  /** Makes every pending job due now (an operator's "the receiver is back, try again"). */
  async makeAllDue(): Promise<number> {
    return this.#prisma.$executeRaw`
      UPDATE ${this.#table} SET next_attempt_at = now() WHERE status = 'PENDING' AND next_attempt_at > now()`;
  }

  /** Pending, dead-lettered and (where tracked) stalled jobs. */
  async countUnsettled(): Promise<{ pending: number; dead: number; stalled: number }> {
    const stalled = this.#stalled
      ? Prisma.sql`count(*) FILTER (WHERE status = 'PENDING' AND stalled_at IS NOT NULL)`
      : Prisma.sql`0`;
    const [row] = await this.#prisma.$queryRaw<Array<{ pending: bigint; dead: bigint; stalled: bigint | number }>>`
      SELECT count(*) FILTER (WHERE status = 'PENDING') AS pending,
             count(*) FILTER (WHERE status = 'DEAD') AS dead,
             ${stalled} AS stalled
      FROM ${this.#table} WHERE status IN ('PENDING', 'DEAD')`;
    return { pending: Number(row?.pending ?? 0), dead: Number(row?.dead ?? 0), stalled: Number(row?.stalled ?? 0) };
  }
}
