import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';

export type LoopStageName = 'APPROVAL' | 'SUPERVISION' | 'ENFORCEMENT' | 'CREDIT';

export interface StageCounts {
  stage: LoopStageName;
  records: number;
  open: number;
  latestOn: string | null;
}

/** One subject's records in the loop index, counted per stage. */
export class SubjectLoopStore {
  constructor(private readonly db: PrismaClient | Prisma.TransactionClient) {}

  /** `codes`: the subject's USCC and, if it has one, its legacy number (older inspections use it). */
  async stageCounts(uscc: string, codes: readonly string[], asOf: string): Promise<StageCounts[]> {
    return this.db.$queryRaw<StageCounts[]>`
      SELECT 'APPROVAL' AS stage, count(*)::int AS records,
             count(*) FILTER (WHERE p.commitment_based AND p.verification_due_on >= ${asOf}::date AND NOT EXISTS (
               SELECT 1 FROM loop_inspection v WHERE v.permit_no = p.permit_no AND v.kind = 'COMMITMENT_VERIFICATION' AND v.status <> 'PLANNED'))::int AS open,
             max(p.valid_from)::text AS "latestOn"
      FROM loop_permit p WHERE p.holder_uscc = ${uscc}
      UNION ALL
      SELECT 'SUPERVISION', count(*)::int, count(*) FILTER (WHERE i.status = 'PLANNED')::int, max(i.inspected_on)::text
      FROM loop_inspection i WHERE i.subject_code = ANY(${[...codes]}::text[])
      UNION ALL
      SELECT 'ENFORCEMENT', sum(n)::int, sum(o)::int, max(d)::text FROM (
        SELECT count(*) AS n, count(*) FILTER (WHERE c.status IN ('RECEIVED', 'ACCEPTED')) AS o,
               max(((c.received_at AT TIME ZONE 'UTC') + interval '8 hours')::date) AS d
        FROM loop_clue c WHERE c.subject_uscc = ${uscc}
        UNION ALL
        SELECT count(*), count(*) FILTER (WHERE k.status NOT IN ('CLOSED', 'WITHDRAWN')),
               max(((k.filed_at AT TIME ZONE 'UTC') + interval '8 hours')::date)
        FROM loop_case k WHERE k.subject_uscc = ${uscc}
        UNION ALL
        SELECT count(*), 0, max(((p.decided_at AT TIME ZONE 'UTC') + interval '8 hours')::date)
        FROM loop_penalty p WHERE p.subject_uscc = ${uscc}
      ) e
      UNION ALL
      SELECT 'CREDIT', count(*)::int, count(*) FILTER (WHERE r.status = 'PUBLISHED')::int, max(r.published_on)::text
      FROM loop_credit_record r WHERE r.subject_uscc = ${uscc}`;
  }
}
