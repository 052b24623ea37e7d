import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ClueSubmission } from '../connectors/enforcement/enforcement-connector.ts';

export interface ClaimedDelivery {
  submission: ClueSubmission;
  attempts: number;
}

/**
 * The outbox of transfers to write to the enforcement system. Claims use a lease under
 * `FOR UPDATE SKIP LOCKED`, so several gateway instances share the work without sending one
 * transfer twice at once, and a crashed instance's claims are taken over when the lease ends.
 */
export class TransferDeliveryStore {
  constructor(private readonly prisma: PrismaClient) {}

  async claimDue(limit: number, leaseMs: number, now: Date = new Date()): Promise<ClaimedDelivery[]> {
    const leaseUntil = new Date(now.getTime() + leaseMs);
    return this.prisma.$transaction(async (tx) => {
      const due = await tx.$queryRaw<Array<{ transfer_id: string }>>`
        SELECT transfer_id FROM clue_transfer_delivery
        WHERE status = 'PENDING' AND next_attempt_at <= ${now} AND (lease_until IS NULL OR lease_until < ${now})
        ORDER BY next_attempt_at, transfer_id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`;
      if (due.length === 0) return [];
      const ids = due.map((row) => row.transfer_id);
      await tx.clueTransferDelivery.updateMany({ where: { transferId: { in: ids } }, data: { leaseUntil } });
      const rows = await tx.clueTransferDelivery.findMany({ where: { transferId: { in: ids } }, include: { transfer: true } });
      return rows.map((row) => ({
        attempts: row.attempts,
        submission: {
          transferId: row.transferId,
          subjectUscc: row.transfer.subjectUscc,
          powerItemCode: row.transfer.powerItemCode,
          senderCode: row.transfer.senderCode,
          receiverCode: row.transfer.receiverCode,
          townshipCode: row.transfer.townshipCode,
          inspectionId: row.transfer.inspectionId,
          sentAtMs: row.transfer.createdAt.getTime(),
        },
      }));
    });
  }

  async markDelivered(transferId: string, upstreamClueId: string, at: Date = new Date()): Promise<void> {
    await this.prisma.clueTransferDelivery.update({
      where: { transferId },
      data: { status: 'DELIVERED', deliveredAt: at, upstreamClueId, attempts: { increment: 1 }, leaseUntil: null, lastError: null },
    });
  }

  async markFailed(transferId: string, error: string, nextAttemptAt: Date): Promise<void> {
    await this.prisma.clueTransferDelivery.update({
      where: { transferId },
      data: { attempts: { increment: 1 }, nextAttemptAt, leaseUntil: null, lastError: error.slice(0, 500) },
    });
  }

  /** Makes every pending delivery due now (an operator's "the system is back, try again"). */
  async makeAllDue(now: Date = new Date()): Promise<number> {
    const { count } = await this.prisma.clueTransferDelivery.updateMany({ where: { status: 'PENDING' }, data: { nextAttemptAt: now } });
    return count;
  }

  async pendingCount(): Promise<number> {
    return this.prisma.clueTransferDelivery.count({ where: { status: 'PENDING' } });
  }
}
