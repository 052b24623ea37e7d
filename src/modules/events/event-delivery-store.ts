import { formatChinaInstant } from '../../domain/china-time.ts';
import type { Instant } from '../../domain/types.ts';
import type { LoopEventKind } from './loop-event.ts';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import {
  LeasedQueue,
  type DeferralSettled,
  type FailureMark,
  type FailureSettled,
  type Lease,
} from '../../platform/outbox/index.ts';
import type { PublicFailure } from '../../platform/public-failure.ts';
import { toSubscription, type EventSubscription } from './event-subscription-store.ts';
import { toldWebhookFailure } from './webhook-failure.ts';

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
  /** Why the last attempt failed, as it may be told (webhook-failure.ts); a stored text of any other kind reads as "Unexpected error.". */
  lastError: PublicFailure | null;
  deliveredAt: Instant | null;
  deadAt: Instant | null;
}

/** A delivery this process holds the lease of; only the holder of `leaseToken` may settle it. `key` is its id. */
export interface ClaimedDelivery extends EventDelivery, Lease {}

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
  readonly #queue: LeasedQueue;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
    this.#queue = new LeasedQueue(prisma, {
      table: 'event_delivery',
      key: 'id',
      order: 'c.next_attempt_at, c.event_seq',
      // In order per subject per subscription: only the oldest pending delivery of each is due.
      claimable: `NOT EXISTS (
        SELECT 1 FROM event_delivery earlier
        WHERE earlier.subscription_id = c.subscription_id
          AND earlier.subject_uscc = c.subject_uscc
          AND earlier.status = 'PENDING'
          AND earlier.event_seq < c.event_seq)`,
    });
  }

  /**
   * Leases up to `limit` deliveries that are due, each the oldest pending one of its subject for
   * its subscription (a later event waits while an earlier one is pending, even between its
   * retries), and counts the attempt. The leased outbox (src/platform/outbox/) does the claiming:
   * concurrent claimers pass over each other's rows, and a lease that runs out (its holder
   * crashed) makes the delivery claimable again.
   */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const leases = await this.#queue.claim(limit, leaseMs);
    if (leases.length === 0) return [];
    const rows = await this.#prisma.eventDelivery.findMany({
      where: { id: { in: leases.map((lease) => lease.key) } },
      include: WITH_EVENT_AND_SUBSCRIPTION,
      orderBy: { eventSeq: 'asc' },
    });
    const leaseOf = new Map(leases.map((lease) => [lease.key, lease]));
    return rows.flatMap((row) => {
      const lease = leaseOf.get(row.id);
      // Read back after the claim committed: only rows still under this claim's lease are ours.
      if (!lease || row.leaseToken !== lease.leaseToken) return [];
      return [{ ...toDelivery(row), key: lease.key, leaseToken: lease.leaseToken }];
    });
  }

  /** Milliseconds until a delivery could next be claimed, by the database's clock; null when none is pending. */
  untilNextDue(): Promise<number | null> {
    return this.#queue.untilNextDue();
  }

  /** False when the lease was lost meanwhile (it ran out and another instance took over). */
  markDelivered(delivery: ClaimedDelivery): Promise<boolean> {
    return this.#queue.complete(delivery);
  }

  /**
   * Records a failed attempt: dead-lettered once `maxAttempts` are spent, otherwise due again
   * after `retryInMs`. The subject's later events stay queued behind it either way until then.
   */
  async markFailed(
    delivery: ClaimedDelivery,
    error: string,
    retryInMs: number,
    maxAttempts: number,
  ): Promise<'retry' | 'dead' | 'lease-lost'> {
    const settled = await this.settleFailure(
      delivery,
      error,
      retryInMs,
      delivery.attempts >= maxAttempts ? 'dead' : 'retry',
    );
    return settled === 'stalled' ? 'retry' : settled;
  }

  /**
   * Records a failed attempt as the outbox runner decided it (`dead` at once for a permanent
   * failure). `error` is read back as `lastError`: a message of webhook-failure.ts, or it reads as "Unexpected error.".
   */
  settleFailure(
    delivery: ClaimedDelivery,
    error: string,
    retryInMs: number,
    mark: FailureMark,
  ): Promise<FailureSettled> {
    return this.#queue.fail(delivery, error, retryInMs, mark);
  }

  /**
   * Gives a delivery back without spending its attempt: this gateway was short of its own
   * resources and sent nothing (LeasedQueue.defer). `error` is read back as `lastError`.
   */
  defer(delivery: ClaimedDelivery, error: string, retryInMs: number): Promise<DeferralSettled> {
    return this.#queue.defer(delivery, error, retryInMs);
  }

  /**
   * Gives a delivery back unsettled (the gateway is stopping): due at once for whoever runs
   * next. The attempt stays counted, since the receiver may have got it.
   */
  release(delivery: ClaimedDelivery, reason: string): Promise<void> {
    return this.#queue.release(delivery, reason);
  }

  /** Dead letters, most recently dead-lettered first. */
  async deadLetters(filter: {
    subscriptionId?: string;
    authorityCode?: string;
    first: number;
  }): Promise<EventDelivery[]> {
    if (filter.subscriptionId !== undefined && !UUID.test(filter.subscriptionId)) return [];
    const rows = await this.#prisma.eventDelivery.findMany({
      where: {
        status: 'DEAD',
        ...(filter.subscriptionId !== undefined ? { subscriptionId: filter.subscriptionId } : {}),
        ...(filter.authorityCode !== undefined ? { subscription: { authorityCode: filter.authorityCode } } : {}),
      },
      include: WITH_EVENT_AND_SUBSCRIPTION,
      orderBy: [{ deadAt: 'desc' }, { eventSeq: 'desc' }],
      take: filter.first,
    });
    return rows.map(toDelivery);
  }

  /**
   * Queues dead letters again with a fresh budget of attempts. A replayed event goes out after
   * whatever of its subject was delivered meanwhile (order was given up when it died), and ahead
   * of that subject's events still pending. With `authorityCode`, only deliveries to that
   * authority's subscriptions are replayed.
   */
  async replay(ids: readonly string[], authorityCode?: string): Promise<ReplayResult> {
    let wellFormed = [...new Set(ids)].filter((id) => UUID.test(id));
    if (authorityCode !== undefined) {
      // Only the authority's own deliveries; another's are reported like unknown ids.
      const own = await this.#prisma.eventDelivery.findMany({
        where: { id: { in: wellFormed }, subscription: { authorityCode } },
        select: { id: true },
      });
      wellFormed = own.map((row) => row.id);
    }
    const replayedIds = new Set(await this.#queue.replay(wellFormed));
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
    const { pending, dead } = await this.#queue.countUnsettled();
    return { pending, dead };
  }

  /** Every delivery of one event, for tests and tooling. */
  async ofEvent(eventId: string): Promise<EventDelivery[]> {
    const rows = await this.#prisma.eventDelivery.findMany({
      where: { eventId },
      include: WITH_EVENT_AND_SUBSCRIPTION,
    });
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
    lastError: row.lastError === null ? null : toldWebhookFailure(row.lastError),
    deliveredAt: row.deliveredAt && instant(row.deliveredAt),
    deadAt: row.deadAt && instant(row.deadAt),
  };
}
