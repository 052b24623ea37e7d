import type { Role } from '../../auth/principal.ts';
import { formatChinaInstant } from '../../domain/china-time.ts';
import type { AgencySystem, AuthorityKind, LocalDate } from '../../domain/types.ts';
import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import type { SharingRequestRecord, SharingRequestStatus, SharingRequestStepKind } from './sharing-request-record.ts';

type Db = PrismaClient | Prisma.TransactionClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WITH_HISTORY = { history: { orderBy: { seq: 'asc' } } } as const;

/** What a new request stores; validated by the service first. */
export interface NewSharingRequest {
  consumerAuthorityCode: string;
  consumerAuthorityKind: AuthorityKind;
  ownerSystem: AgencySystem;
  ownerAuthorityCode: string;
  fields: string[];
  purpose: string;
  matters: string[];
  matterPrefixes: string[];
  roles: Role[];
  legalBasis: string;
  validFrom: Date;
  validUntil: Date;
  submittedBy: string;
  answerDueOn: LocalDate;
}

export interface SharingRequestAnswer {
  status: Exclude<SharingRequestStatus, 'PENDING'>;
  answeredBy: string;
  authorityCode: string;
  grantedFields: string[];
  reason: string | null;
}

export interface SharingRequestQuery {
  /** Requests these authorities made or must answer; undefined: all (auditors). */
  parties?: string[];
  status?: SharingRequestStatus;
  /** Only pending requests due before this date (overdue as of the day after the due day). */
  dueBefore?: LocalDate;
  first: number;
}

/** Sharing requests and their history in the gateway's store. */
export class SharingRequestStore {
  constructor(private readonly db: Db) {}

  async create(request: NewSharingRequest): Promise<SharingRequestRecord> {
    const row = await this.db.sharingRequest.create({
      data: {
        ...request,
        history: {
          create: {
            seq: 1,
            kind: 'SUBMITTED',
            actor: request.submittedBy,
            authorityCode: request.consumerAuthorityCode,
            fields: request.fields,
          },
        },
      },
      include: WITH_HISTORY,
    });
    return toRecord(row);
  }

  async find(id: string): Promise<SharingRequestRecord | null> {
    if (!UUID.test(id)) return null;
    const row = await this.db.sharingRequest.findUnique({ where: { id }, include: WITH_HISTORY });
    return row && toRecord(row);
  }

  /**
   * Records the answer if the request is still pending; false if another answer came first (the
   * conditional UPDATE makes two concurrent answers agree on one). Any grant is linked after it.
   */
  async answer(id: string, answer: SharingRequestAnswer, at: Date): Promise<boolean> {
    const { count } = await this.db.sharingRequest.updateMany({
      where: { id, status: 'PENDING' },
      data: {
        status: answer.status,
        answeredAt: at,
        answeredBy: answer.answeredBy,
        grantedFields: answer.grantedFields,
        answerReason: answer.reason,
      },
    });
    if (count !== 1) return false;
    const last = await this.db.sharingRequestStep.findFirst({ where: { requestId: id }, orderBy: { seq: 'desc' } });
    await this.db.sharingRequestStep.create({
      data: {
        requestId: id,
        seq: (last?.seq ?? 0) + 1,
        kind: answer.status satisfies SharingRequestStepKind,
        at,
        actor: answer.answeredBy,
        authorityCode: answer.authorityCode,
        reason: answer.reason,
        fields: answer.grantedFields,
      },
    });
    return true;
  }

  /** The grant an approval created, once the answer has claimed the request. */
  async linkGrant(id: string, grantId: string): Promise<void> {
    await this.db.sharingRequest.update({ where: { id }, data: { grantId } });
  }

  /** Newest first. */
  async list(query: SharingRequestQuery): Promise<SharingRequestRecord[]> {
    const where: Prisma.SharingRequestWhereInput[] = [];
    if (query.parties)
      where.push({
        OR: [{ consumerAuthorityCode: { in: query.parties } }, { ownerAuthorityCode: { in: query.parties } }],
      });
    if (query.status) where.push({ status: query.status });
    if (query.dueBefore) where.push({ status: 'PENDING', answerDueOn: { lt: query.dueBefore } });
    const rows = await this.db.sharingRequest.findMany({
      where: { AND: where },
      include: WITH_HISTORY,
      orderBy: [{ submittedAt: 'desc' }, { id: 'asc' }],
      take: query.first,
    });
    return rows.map(toRecord);
  }

  /** Pending requests due before `dueBefore`, counted per owning authority (optionally only `owners`). */
  async overdueCounts(
    dueBefore: LocalDate,
    owners?: string[],
  ): Promise<Array<{ ownerAuthorityCode: string; overdue: number }>> {
    const groups = await this.db.sharingRequest.groupBy({
      by: ['ownerAuthorityCode'],
      where: {
        status: 'PENDING',
        answerDueOn: { lt: dueBefore },
        ...(owners ? { ownerAuthorityCode: { in: owners } } : {}),
      },
      _count: { _all: true },
      orderBy: { ownerAuthorityCode: 'asc' },
    });
    return groups.map((group) => ({ ownerAuthorityCode: group.ownerAuthorityCode, overdue: group._count._all }));
  }
}

type Row = Prisma.SharingRequestGetPayload<{ include: typeof WITH_HISTORY }>;

/** The migration's CHECKs hold status; kinds and systems are checked on the way in. */
function toRecord(row: Row): SharingRequestRecord {
  const instant = (date: Date) => formatChinaInstant(date.getTime());
  return {
    ...row,
    consumerAuthorityKind: row.consumerAuthorityKind as AuthorityKind,
    ownerSystem: row.ownerSystem as AgencySystem,
    roles: row.roles as Role[],
    validFrom: instant(row.validFrom),
    validUntil: instant(row.validUntil),
    status: row.status as SharingRequestStatus,
    submittedAt: instant(row.submittedAt),
    answeredAt: row.answeredAt && instant(row.answeredAt),
    history: row.history.map((step) => ({
      seq: step.seq,
      kind: step.kind as SharingRequestStepKind,
      at: instant(step.at),
      actor: step.actor,
      authorityCode: step.authorityCode,
      reason: step.reason,
      fields: step.fields,
    })),
  };
}
