import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';

export type LoopStageName = 'APPROVAL' | 'SUPERVISION' | 'ENFORCEMENT' | 'CREDIT';

/** The kinds of record the loop index holds, as `LoopRecordKind` names them. */
export type LoopRecordKindName = 'PERMIT' | 'INSPECTION' | 'CLUE' | 'CASE' | 'PENALTY' | 'CREDIT_RECORD';

/** One kind of record's count within a stage: a stage's figures are summed from the kinds the caller may see. */
export interface StageCounts {
  stage: LoopStageName;
  record: LoopRecordKindName;
  records: number;
  open: number;
  latestOn: string | null;
}

/** One subject's records in the loop index, counted per stage and kind of record. */
export class SubjectLoopStore {
  constructor(private readonly db: PrismaClient | Prisma.TransactionClient) {}

  /**
   * `codes`: the subject's USCC and, if it has one, its legacy number (older inspections use it).
   * `scope`: the division prefix the caller's jurisdiction covers (null: everything). Inspections,
   * clues and cases lie where they took place, which need not be where the subject is registered;
   * one outside the scope is counted as the loaders answer it, as if it did not exist (a permit
   * verified only by such an inspection still awaits its verification, as `Permit.inspections` shows).
   */
  async stageCounts(
    uscc: string,
    codes: readonly string[],
    asOf: string,
    scope: string | null,
  ): Promise<StageCounts[]> {
    const within = `${scope ?? ''}%`;
    return this.db.$queryRaw<StageCounts[]>`
      SELECT 'APPROVAL' AS stage, 'PERMIT' AS record, count(*)::int AS records,
             count(*) FILTER (WHERE p.commitment_based AND p.verification_due_on >= ${asOf}::date AND NOT EXISTS (
               SELECT 1 FROM loop_inspection v WHERE v.permit_no = p.permit_no AND v.kind = 'COMMITMENT_VERIFICATION' AND v.status <> 'PLANNED'
                 AND v.township_code LIKE ${within}))::int AS open,
             max(p.valid_from)::text AS "latestOn"
      FROM loop_permit p WHERE p.holder_uscc = ${uscc}
      UNION ALL
      SELECT 'SUPERVISION', 'INSPECTION', count(*)::int, count(*) FILTER (WHERE i.status = 'PLANNED')::int, max(i.inspected_on)::text
      FROM loop_inspection i WHERE i.subject_code = ANY(${[...codes]}::text[]) AND i.township_code LIKE ${within}
      UNION ALL
      SELECT 'ENFORCEMENT', 'CLUE', count(*)::int, count(*) FILTER (WHERE c.status IN ('RECEIVED', 'ACCEPTED'))::int,
             max(((c.received_at AT TIME ZONE 'UTC') + interval '8 hours')::date)::text
      FROM loop_clue c WHERE c.subject_uscc = ${uscc} AND c.township_code LIKE ${within}
      UNION ALL
      SELECT 'ENFORCEMENT', 'CASE', count(*)::int, count(*) FILTER (WHERE k.status NOT IN ('CLOSED', 'WITHDRAWN'))::int,
             max(((k.filed_at AT TIME ZONE 'UTC') + interval '8 hours')::date)::text
      FROM loop_case k WHERE k.subject_uscc = ${uscc} AND k.township_code LIKE ${within}
      UNION ALL
      SELECT 'ENFORCEMENT', 'PENALTY', count(*)::int, 0, max(((p.decided_at AT TIME ZONE 'UTC') + interval '8 hours')::date)::text
      FROM loop_penalty p WHERE p.subject_uscc = ${uscc}
      UNION ALL
      SELECT 'CREDIT', 'CREDIT_RECORD', count(*)::int, count(*) FILTER (WHERE r.status = 'PUBLISHED')::int, max(r.published_on)::text
      FROM loop_credit_record r WHERE r.subject_uscc = ${uscc}`;
  }
}
