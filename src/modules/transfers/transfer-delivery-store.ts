import type { ClueSubmission } from '../../connectors/enforcement/enforcement-connector.ts';
import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';
import {
  LeasedQueue,
  type DeferralSettled,
  type FailureMark,
  type FailureSettled,
  type Lease,
} from '../../platform/outbox/index.ts';

/** A transfer's delivery this process holds the lease of; `key` is the transfer id. */
export interface ClaimedDelivery extends Lease {
  submission: ClueSubmission;
}

/**
 * The outbox of transfers to write to the enforcement system, on the leased outbox shared with
 * webhooks: claims under a lease with `FOR UPDATE SKIP LOCKED` (instances on one PostgreSQL
 * never send one transfer at once; a crashed instance's claims are taken over when the lease
 * ends), settles only under the lease token, and the database's clock throughout.
 */
export class TransferDeliveryStore {
  readonly #prisma: PrismaClient;
  readonly #queue: LeasedQueue;

  constructor(prisma: PrismaClient) {
    this.#prisma = prisma;
    this.#queue = new LeasedQueue(prisma, {
      table: 'clue_transfer_delivery',
      key: 'transfer_id',
      order: 'c.next_attempt_at, c.transfer_id',
      stalledColumn: true,
    });
  }

  /** Leases up to `limit` due deliveries for `leaseMs` and counts the attempt. */
  async claim(limit: number, leaseMs: number): Promise<ClaimedDelivery[]> {
    const leases = await this.#queue.claim(limit, leaseMs);
    if (leases.length === 0) return [];
    const transfers = await this.#prisma.clueTransfer.findMany({
      where: { id: { in: leases.map((lease) => lease.key) } },
    });
    const byId = new Map(transfers.map((transfer) => [transfer.id, transfer]));
    return leases.flatMap((lease) => {
      const transfer = byId.get(lease.key);
      if (!transfer) return [];
      return [
        {
          ...lease,
          submission: {
            transferId: transfer.id,
            subjectUscc: transfer.subjectUscc,
            powerItemCode: transfer.powerItemCode,
            senderCode: transfer.senderCode,
            receiverCode: transfer.receiverCode,
            townshipCode: transfer.townshipCode,
            inspectionId: transfer.inspectionId,
            sentAtMs: transfer.createdAt.getTime(),
          },
        },
      ];
    });
  }

  /** Milliseconds until a delivery could next be claimed, by the database's clock; null when none is pending. */
  untilNextDue(): Promise<number | null> {
    return this.#queue.untilNextDue();
  }

  /** Records the clue id the system gave it; false when the lease had been lost meanwhile. */
  markDelivered(delivery: Lease, upstreamClueId: string): Promise<boolean> {
    return this.#queue.complete(delivery, Prisma.sql`upstream_clue_id = ${upstreamClueId}`);
  }

  /** Records a failed attempt (see LeasedQueue.fail); refused when the lease is no longer this holder's. */
  markFailed(delivery: Lease, error: string, retryInMs: number, mark: FailureMark): Promise<FailureSettled> {
    return this.#queue.fail(delivery, error, retryInMs, mark);
  }

  /** Gives a delivery back without spending its attempt: the gateway was short of its own resources (LeasedQueue.defer). */
  defer(delivery: Lease, error: string, retryInMs: number): Promise<DeferralSettled> {
    return this.#queue.defer(delivery, error, retryInMs);
  }

  /** Gives a delivery back unsettled (the gateway is stopping): due at once. */
  release(delivery: Lease, reason: string): Promise<void> {
    return this.#queue.release(delivery, reason);
  }

  /** Queues dead-lettered deliveries again with a fresh budget; returns the transfer ids revived. */
  replay(transferIds: readonly string[]): Promise<string[]> {
    return this.#queue.replay(transferIds.filter((id) => UUID.test(id)));
  }

  /** Makes every pending delivery due now (an operator's "the system is back, try again"). */
  makeAllDue(): Promise<number> {
    return this.#queue.makeAllDue();
  }

  /** Pending, dead-lettered and stalled (pending, flagged) deliveries, across every instance on this store. */
  countUnsettled(): Promise<{ pending: number; dead: number; stalled: number }> {
    return this.#queue.countUnsettled();
  }

  async pendingCount(): Promise<number> {
    return (await this.countUnsettled()).pending;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
