import { randomUUID } from 'node:crypto';
import { formatChinaInstant } from '../domain/china-time.ts';
import type { Instant } from '../domain/types.ts';
import type { LoopEventKind } from '../events/loop-event.ts';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { toSubscription, type EventSubscription } from './event-subscription-store.ts';

/** An event as the outbox holds it; `id` is what receivers deduplicate on. */
export interface StoredLoopEvent {
  id: string;
  kind: LoopEventKind;
  subjectUscc: string;
  concerns: string[];
  occurredAt: Instant;
  dedupeKey: string;
  payload: Record<string, unknown>;
}

export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD';

export interface EventDelivery {
  id: string;
  event: StoredLoopEvent;
  subscription: EventSubscription;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Instant;
  lastAttemptAt: Instant | null;
  lastError: string | null;
  deliveredAt: Instant | null;
  deadAt: Instant | null;
}

/** A delivery this process holds the lease of; only the holder of `leaseToken` may settle it. */
export interface ClaimedDelivery extends EventDelivery {
  leaseToken: string;
}

export interface ReplayResult {
  replayed: EventDelivery[];
  /** Ids given that name no dead letter (unknown, pending or delivered). */
  notDeadLettered: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WITH_EVENT_AND_SUBSCRIPTION = { event: true, subscription: true } as const;
type DeliveryRow = Prisma.EventDeliveryGetPayload<{ include: typeof WITH_EVENT_AND_SUBSCRIPTION }>;

/**
 * Per-subscription deliveries: claiming under a lease, settling, dead letters and their replay.
 * Every time comparison uses the database's clock, so instances with drifting clocks agree.
 */
export class EventDeliveryStore {
  readonly #prisma: PrismaClient;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
  }

  /**
   * Leases up to `limit` deliveries that are due, each the oldest pending one of its subject for
   * its subscription (a later event waits while an earlier one is pending, even between its
   * retries), and counts the attempt. `FOR UPDATE SKIP LOCKED` lets concurrent claimers pass over
   * each other's rows, and the re-checked lease condition keeps a row claimed a moment ago by
   * another instance from being claimed twice. A lease that runs out (its holder crashed) makes
   * the delivery claimable again.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const leaseToken = randomUUID();
    const claimed = await this.#prisma.$queryRaw<Array<{ id: string }>>`
      UPDATE event_delivery d
      SET lease_until = now() + ${leaseMs}::int * interval '1 millisecond',
          lease_token = ${leaseToken}::uuid,
          attempts = d.attempts + 1,
          last_attempt_at = now()
      FROM (
        SELECT c.id FROM event_delivery c
        WHERE c.status = 'PENDING'
          AND c.next_attempt_at <= now()
          AND (c.lease_until IS NULL OR c.lease_until < now())
          AND NOT EXISTS (
            SELECT 1 FROM event_delivery earlier
            WHERE earlier.subscription_id = c.subscription_id
              AND earlier.subject_uscc = c.subject_uscc
              AND earlier.status = 'PENDING'
              AND earlier.event_seq < c.event_seq)
        ORDER BY c.next_attempt_at, c.event_seq
        LIMIT ${limit}::int
        FOR UPDATE SKIP LOCKED
      ) picked
      WHERE d.id = picked.id
      RETURNING d.id::text AS id`;
    if (claimed.length === 0) return [];
    const rows = await this.#prisma.eventDelivery.findMany({
      where: { id: { in: claimed.map((row) => row.id) }, leaseToken },
      include: WITH_EVENT_AND_SUBSCRIPTION,
      orderBy: { eventSeq: 'asc' },
    });
    return rows.map((row) => ({ ...toDelivery(row), leaseToken }));
  }

  /** False when the lease was lost meanwhile (it ran out and another instance took over). */
  async markDelivered(delivery: ClaimedDelivery): Promise<boolean> {
    const { count } = await this.#prisma.eventDelivery.updateMany({
      where: { id: delivery.id, leaseToken: delivery.leaseToken, status: 'PENDING' },
      data: { status: 'DELIVERED', deliveredAt: new Date(), leaseUntil: null, leaseToken: null, lastError: null },
    });
    return count === 1;
  }

  /**
   * Records a failed attempt: dead-lettered once `maxAttempts` are spent, otherwise due again
   * after `retryInMs`. The subject's later events stay queued behind it either way until then.
   */
  async markFailed(delivery: ClaimedDelivery, error: string, retryInMs: number, maxAttempts: number): Promise<'retry' | 'dead' | 'lease-lost'> {
    const dead = delivery.attempts >= maxAttempts;
    const count = await this.#prisma.$executeRaw`
      UPDATE event_delivery
      SET status = ${dead ? 'DEAD' : 'PENDING'},
          dead_at = CASE WHEN ${dead} THEN now() ELSE NULL END,
          next_attempt_at = now() + ${Math.max(0, Math.round(retryInMs))}::int * interval '1 millisecond',
          last_error = ${error},
          lease_until = NULL,
          lease_token = NULL
      WHERE id = ${delivery.id}::uuid AND lease_token = ${delivery.leaseToken}::uuid AND status = 'PENDING'`;
    if (count !== 1) return 'lease-lost';
    return dead ? 'dead' : 'retry';
  }

  /**
   * Gives a delivery back unsettled (the gateway is stopping): due at once for whoever runs
   * next. The attempt stays counted, since the receiver may have got it.
   */
  async release(delivery: ClaimedDelivery, reason: string): Promise<void> {
    await this.#prisma.$executeRaw`
      UPDATE event_delivery
      SET lease_until = NULL, lease_token = NULL, next_attempt_at = now(), last_error = ${reason}
      WHERE id = ${delivery.id}::uuid AND lease_token = ${delivery.leaseToken}::uuid AND status = 'PENDING'`;
  }

  /** Dead letters, most recently dead-lettered first. */
  async deadLetters(filter: { subscriptionId?: string; first: number }): Promise<EventDelivery[]> {
    if (filter.subscriptionId !== undefined && !UUID.test(filter.subscriptionId)) return [];
    const rows = await this.#prisma.eventDelivery.findMany({
      where: { status: 'DEAD', ...(filter.subscriptionId !== undefined ? { subscriptionId: filter.subscriptionId } : {}) },
      include: WITH_EVENT_AND_SUBSCRIPTION,
      orderBy: [{ deadAt: 'desc' }, { eventSeq: 'desc' }],
      take: filter.first,
    });
    return rows.map(toDelivery);
  }

  /**
   * Queues dead letters again with a fresh budget of attempts. A replayed event goes out after
   * whatever of its subject was delivered meanwhile (order was given up when it died), and ahead
   * of that subject's events still pending.
   */
  async replay(ids: readonly string[]): Promise<ReplayResult> {
    const wellFormed = [...new Set(ids)].filter((id) => UUID.test(id));
    const revived = await this.#prisma.eventDelivery.updateManyAndReturn({
      where: { id: { in: wellFormed }, status: 'DEAD' },
      data: { status: 'PENDING', attempts: 0, nextAttemptAt: new Date(), deadAt: null, leaseUntil: null, leaseToken: null },
      select: { id: true },
    });
    const replayedIds = new Set(revived.map((row) => row.id));
    const rows = await this.#prisma.eventDelivery.findMany({
      where: { id: { in: [...replayedIds] } },
      include: WITH_EVENT_AND_SUBSCRIPTION,
      orderBy: { eventSeq: 'asc' },
    });
    return { replayed: rows.map(toDelivery), notDeadLettered: ids.filter((id) => !replayedIds.has(id)) };
  }

  /**
   * Deletes deliveries acknowledged more than `olderThanDays` ago; returns how many. Events stay:
   * they are what a later publication of the same dedupe key is recognised by. Dead letters stay
   * until an administrator replays them.
   */
  async purgeDelivered(olderThanDays: number): Promise<number> {
    return this.#prisma.$executeRaw`
      DELETE FROM event_delivery
      WHERE status = 'DELIVERED' AND delivered_at < now() - ${olderThanDays}::int * interval '1 day'`;
  }

  /** Pending and dead-lettered deliveries, counted over the (status, …) index. */
  async countUnsettled(): Promise<{ pending: number; dead: number }> {
    const [pending, dead] = await Promise.all([
      this.#prisma.eventDelivery.count({ where: { status: 'PENDING' } }),
      this.#prisma.eventDelivery.count({ where: { status: 'DEAD' } }),
    ]);
    return { pending, dead };
  }

  /** Every delivery of one event, for tests and tooling. */
  async ofEvent(eventId: string): Promise<EventDelivery[]> {
    const rows = await this.#prisma.eventDelivery.findMany({ where: { eventId }, include: WITH_EVENT_AND_SUBSCRIPTION });
    return rows.map(toDelivery);
  }
}

function toDelivery(row: DeliveryRow): EventDelivery {
  const instant = (date: Date) => formatChinaInstant(date.getTime());
  return {
    id: row.id,
    event: {
      id: row.event.id,
      kind: row.event.kind as LoopEventKind,
      subjectUscc: row.event.subjectUscc,
      concerns: row.event.concerns,
      occurredAt: instant(row.event.occurredAt),
      dedupeKey: row.event.dedupeKey,
      payload: row.event.payload as Record<string, unknown>,
    },
    subscription: toSubscription(row.subscription),
    status: row.status as DeliveryStatus,
    attempts: row.attempts,
    nextAttemptAt: instant(row.nextAttemptAt),
    lastAttemptAt: row.lastAttemptAt && instant(row.lastAttemptAt),
    lastError: row.lastError,
    deliveredAt: row.deliveredAt && instant(row.deliveredAt),
    deadAt: row.deadAt && instant(row.deadAt),
  };
}
