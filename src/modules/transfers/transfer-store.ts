import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { StoreClient } from '../events/index.ts';
import type { DeliveryRecord, TransferRecord, TransferStepRecord, TransferWithHistory } from './transfer-record.ts';
import type { TransferStatus } from './transfer-states.ts';

type Db = PrismaClient | Prisma.TransactionClient;

export interface StoredIdempotencyKey {
  operation: string;
  requestHash: string;
  transferId: string;
  stepSeq: number | null;
}

export interface TransferListFilter {
  /** Transfers this authority sent or received. */
  authorityCode: string;
  role?: 'SENT' | 'RECEIVED';
  statuses?: readonly TransferStatus[];
  subjectUscc?: string;
  /** Unanswered with a due day before this date. */
  unansweredDueBefore?: string;
  first: number;
}

/** Prisma access for clue transfers, their steps, idempotency keys and the delivery outbox. */
export class TransferStore {
  readonly #db: Db;
  readonly #inTransaction: boolean;

  constructor(db: Db) {
    this.#db = db;
    this.#inTransaction = !('$connect' in db);
  }

  /** The client to write events with, inside this store's transaction when it has one. */
  get client(): StoreClient {
    return this.#db;
  }

  /** Runs `work` against a store whose writes commit together or not at all. */
  async transaction<T>(work: (store: TransferStore) => Promise<T>): Promise<T> {
    const db = this.#db;
    if (this.#inTransaction || !('$transaction' in db)) return work(this);
    return db.$transaction((tx) => work(new TransferStore(tx)));
  }

  /** Serialises requests under one key until the transaction ends, across gateway instances too. */
  async lockIdempotencyKey(authorityCode: string, key: string): Promise<void> {
    await this.#db
      .$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`transfer-key\n${authorityCode}\n${key}`}, 0))`;
  }

  async idempotencyKey(authorityCode: string, key: string): Promise<StoredIdempotencyKey | null> {
    return this.#db.transferIdempotencyKey.findUnique({
      where: { authorityCode_key: { authorityCode, key } },
      select: { operation: true, requestHash: true, transferId: true, stepSeq: true },
    });
  }

  async saveIdempotencyKey(authorityCode: string, key: string, stored: StoredIdempotencyKey): Promise<void> {
    await this.#db.transferIdempotencyKey.create({ data: { authorityCode, key, ...stored } });
  }

  /** Creates the transfer, its SENT step and its pending delivery to the enforcement system. */
  async create(
    transfer: Omit<TransferRecord, 'id' | 'createdAt' | 'updatedAt'>,
    sent: Omit<TransferStepRecord, 'seq'>,
  ): Promise<TransferRecord> {
    const row = await this.#db.clueTransfer.create({
      data: {
        ...transfer,
        steps: { create: { ...sent, seq: 1 } },
        delivery: { create: {} },
      },
    });
    return row as TransferRecord;
  }

  /** Reads a transfer and takes its row lock until the transaction ends, so steps apply one at a time. */
  async lock(id: string): Promise<TransferRecord | null> {
    const locked = await this.#db.$queryRaw<
      Array<{ id: string }>
    >`SELECT id FROM clue_transfer WHERE id = ${id}::uuid FOR UPDATE`;
    if (locked.length === 0) return null;
    return (await this.#db.clueTransfer.findUnique({ where: { id } })) as TransferRecord | null;
  }

  async appendStep(
    id: string,
    step: TransferStepRecord,
    changes: Partial<
      Pick<TransferRecord, 'status' | 'answerDueOn' | 'extended' | 'answeredOn' | 'caseNo' | 'decisionNo'>
    >,
  ): Promise<void> {
    await this.#db.clueTransferStep.create({ data: { ...step, transferId: id } });
    await this.#db.clueTransfer.update({ where: { id }, data: changes });
  }

  async lastStepSeq(id: string): Promise<number> {
    const last = await this.#db.clueTransferStep.findFirst({
      where: { transferId: id },
      orderBy: { seq: 'desc' },
      select: { seq: true },
    });
    return last?.seq ?? 0;
  }

  async find(id: string): Promise<TransferWithHistory | null> {
    const row = await this.#db.clueTransfer.findUnique({
      where: { id },
      include: { steps: { orderBy: { seq: 'asc' } }, delivery: true },
    });
    return row ? toHistory(row) : null;
  }

  /** Which of these transfers (ids well formed) the authority sent or received. */
  async partyTo(ids: readonly string[], authorityCode: string): Promise<string[]> {
    const rows = await this.#db.clueTransfer.findMany({
      where: { id: { in: [...ids] }, OR: [{ senderCode: authorityCode }, { receiverCode: authorityCode }] },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  async list(filter: TransferListFilter): Promise<TransferWithHistory[]> {
    const parties: Prisma.ClueTransferWhereInput[] =
      filter.role === 'SENT'
        ? [{ senderCode: filter.authorityCode }]
        : filter.role === 'RECEIVED'
          ? [{ receiverCode: filter.authorityCode }]
          : [{ senderCode: filter.authorityCode }, { receiverCode: filter.authorityCode }];
    const rows = await this.#db.clueTransfer.findMany({
      where: {
        OR: parties,
        ...(filter.statuses ? { status: { in: [...filter.statuses] } } : {}),
        ...(filter.subjectUscc ? { subjectUscc: filter.subjectUscc } : {}),
        ...(filter.unansweredDueBefore
          ? { status: { in: ['SENT', 'RECEIVED'] }, answerDueOn: { lt: filter.unansweredDueBefore } }
          : {}),
      },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      take: filter.first,
      include: { steps: { orderBy: { seq: 'asc' } }, delivery: true },
    });
    return rows.map(toHistory);
  }
}

type HistoryRow = Prisma.ClueTransferGetPayload<{ include: { steps: true; delivery: true } }>;

function toHistory(row: HistoryRow): TransferWithHistory {
  const { steps, delivery, ...transfer } = row;
  return {
    ...(transfer as TransferRecord),
    steps: steps.map(({ id: _id, transferId: _transferId, ...step }) => step as TransferStepRecord),
    delivery: delivery
      ? ({
          status: delivery.status,
          attempts: delivery.attempts,
          lastError: delivery.lastError,
          deliveredAt: delivery.deliveredAt,
          stalledAt: delivery.stalledAt,
          deadAt: delivery.deadAt,
          upstreamClueId: delivery.upstreamClueId,
        } as DeliveryRecord)
      : null,
  };
}
