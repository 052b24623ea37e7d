import { Prisma } from '../../generated/prisma/client.ts';

/** Every kind of loop break (闭环断点) the index can show. */
export const LOOP_GAP_KINDS = [
  'COMMITMENT_NOT_VERIFIED',
  'VIOLATION_NOT_TRANSFERRED',
  'CLUE_UNANSWERED',
  'PENALTY_NOT_PUBLISHED',
  'PERMIT_VALID_AFTER_REVOCATION',
  'PUBLICITY_OVERDUE',
] as const;
export type LoopGapKind = (typeof LOOP_GAP_KINDS)[number];

export interface LoopGapSqlFilter {
  /** Credit centres and the division each serves: responsible for publicity left up. */
  creditCentres: ReadonlyArray<{ code: string; jurisdictionCode: string }>;
}

/** A China-time civil date of a timestamptz column. */
const chinaDate = (column: string) => Prisma.raw(`((${column} AT TIME ZONE 'UTC') + interval '8 hours')::date`);

/**
 * One row per break as of any day: its kind, the primary record, subject, place, the authority
 * responsible, the day the loop should have closed by, the evidence (records with their dates) as
 * JSON, and `cut`, the day a break shows from the day after (each rule's "before asOf" test). No
 * rule depends on asOf otherwise, so the county's rows serve every asOf until the index moves.
 * Each rule mirrors the rule in the brief; deadlines in working days were computed when the row
 * was indexed (loop-index-rows.ts).
 */
function gapsUnion(f: LoopGapSqlFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT 'COMMITMENT_NOT_VERIFIED' AS kind, p.permit_no AS ref, p.holder_uscc AS subject, s.township_code AS township,
           COALESCE(sup.code, p.issuer_code) AS authority, p.verification_due_on AS due_on, p.verification_due_on AS cut,
           jsonb_build_array(jsonb_build_object('record', 'PERMIT', 'id', p.permit_no, 'on', p.valid_from::text)) AS evidence
    FROM loop_permit p
    LEFT JOIN subject s ON s.uscc = p.holder_uscc
    LEFT JOIN (
      SELECT DISTINCT ON (lp.item_code) lp.item_code, li.lead_authority_code AS code
      FROM loop_inspection li JOIN loop_permit lp ON lp.permit_no = li.permit_no
      WHERE li.kind = 'COMMITMENT_VERIFICATION'
      GROUP BY lp.item_code, li.lead_authority_code
      ORDER BY lp.item_code, count(*) DESC, li.lead_authority_code
    ) sup ON sup.item_code = p.item_code
    WHERE p.commitment_based AND p.verification_due_on IS NOT NULL
      AND NOT EXISTS (
        SELECT 1 FROM loop_inspection v
        WHERE v.permit_no = p.permit_no AND v.kind = 'COMMITMENT_VERIFICATION' AND v.status <> 'PLANNED'
          AND v.inspected_on <= p.verification_due_on)
    UNION ALL
    SELECT 'VIOLATION_NOT_TRANSFERRED', i.id, COALESCE(s.uscc, i.subject_code), i.township_code, i.lead_authority_code, i.inspected_on, i.inspected_on,
           jsonb_build_array(jsonb_build_object('record', 'INSPECTION', 'id', i.id, 'on', i.inspected_on::text))
    FROM loop_inspection i
    LEFT JOIN subject s ON i.subject_code_kind = 'LEGACY_REG_NO' AND s.legacy_reg_no = i.subject_code
    WHERE i.outcome = 'VIOLATION_FOUND' AND i.status <> 'PLANNED'
      AND NOT EXISTS (SELECT 1 FROM loop_clue c WHERE c.inspection_id = i.id)
    UNION ALL
    SELECT 'CLUE_UNANSWERED', c.id, c.subject_uscc, c.township_code, c.receiver_code, c.answer_due_on, c.answer_due_on,
           jsonb_build_array(jsonb_build_object('record', 'CLUE', 'id', c.id, 'on', ${chinaDate('c.received_at')}::text))
    FROM loop_clue c
    WHERE c.status = 'RECEIVED' AND c.responded_at IS NULL
    UNION ALL
    SELECT 'PENALTY_NOT_PUBLISHED', p.decision_no, p.subject_uscc, k.township_code, k.authority_code, p.publication_due_on, p.publication_due_on,
           jsonb_build_array(
             jsonb_build_object('record', 'PENALTY', 'id', p.decision_no, 'on', ${chinaDate('p.decided_at')}::text),
             jsonb_build_object('record', 'CASE', 'id', k.case_no, 'on', ${chinaDate('k.filed_at')}::text))
           || CASE WHEN r.id IS NULL THEN '[]'::jsonb
                   ELSE jsonb_build_array(jsonb_build_object('record', 'CREDIT_RECORD', 'id', r.id, 'on', r.published_on::text)) END
    FROM loop_penalty p
    JOIN loop_case k ON k.case_no = p.case_no
    LEFT JOIN LATERAL (
      SELECT cr.id, cr.published_on FROM loop_credit_record cr
      WHERE cr.decision_no = p.decision_no AND cr.kind = 'PENALTY_PUBLICITY'
      ORDER BY cr.published_on LIMIT 1
    ) r ON true
    WHERE k.procedure = 'GENERAL'
      AND (r.id IS NULL OR r.published_on > p.publication_due_on)
    UNION ALL
    SELECT 'PERMIT_VALID_AFTER_REVOCATION', p.decision_no, p.subject_uscc, COALESCE(k.township_code, s.township_code), pm.issuer_code,
           ${chinaDate('p.decided_at')}, ${chinaDate('p.decided_at')},
           jsonb_build_array(
             jsonb_build_object('record', 'PENALTY', 'id', p.decision_no, 'on', ${chinaDate('p.decided_at')}::text),
             jsonb_build_object('record', 'PERMIT', 'id', pm.permit_no, 'on', pm.valid_from::text))
    FROM loop_penalty p
    JOIN loop_permit pm ON pm.permit_no = p.affected_permit_no
    LEFT JOIN loop_case k ON k.case_no = p.case_no
    LEFT JOIN subject s ON s.uscc = p.subject_uscc
    WHERE p.kinds && ARRAY['PERMIT_REVOCATION', 'PERMIT_SUSPENSION'] AND pm.status = 'VALID'
    UNION ALL
    SELECT 'PUBLICITY_OVERDUE', r.id, r.subject_uscc, s.township_code, cc.code, r.publicity_ends_on, r.publicity_ends_on,
           jsonb_build_array(jsonb_build_object('record', 'CREDIT_RECORD', 'id', r.id, 'on', r.published_on::text))
           || CASE WHEN r.decision_no IS NULL THEN '[]'::jsonb
                   ELSE jsonb_build_array(jsonb_build_object('record', 'PENALTY', 'id', r.decision_no, 'on', NULL)) END
    FROM loop_credit_record r
    LEFT JOIN subject s ON s.uscc = r.subject_uscc
    LEFT JOIN LATERAL (
      SELECT x.code FROM unnest(${f.creditCentres.map((c) => c.code)}::text[], ${f.creditCentres.map((c) => c.jurisdictionCode)}::text[]) AS x(code, jurisdiction)
      WHERE s.township_code LIKE x.jurisdiction || '%' OR s.township_code IS NULL
      ORDER BY length(x.jurisdiction) DESC LIMIT 1
    ) cc ON true
    WHERE r.status = 'PUBLISHED' AND r.publicity_ends_on IS NOT NULL`;
}

export interface LoopGapRow {
  kind: LoopGapKind;
  ref: string;
  subject: string;
  township: string | null;
  authority: string | null;
  dueOn: string;
  /** The break shows as of every day after this one. */
  cut: string;
  evidence: Array<{ record: string; id: string; on: string | null }>;
}

/** Every break as of any day (keep those whose cut is before the day), in no particular order. */
export function allLoopGapsSql(f: LoopGapSqlFilter): Prisma.Sql {
  return Prisma.sql`SELECT kind, ref, subject, township, authority, due_on::text AS "dueOn", cut::text AS cut, evidence FROM (${gapsUnion(f)}) g`;
}

/**
 * Changes whenever any feed (loop records or the subject registry, which places permits and
 * credit records in a township) has stored records: the loop gaps computed before still hold
 * until it moves. Read from the shared table, so every gateway instance sees every sync.
 */
export const INDEX_VERSION_SQL = Prisma.sql`SELECT (coalesce(sum(records), 0)::bigint || ':' || count(*))::text AS version FROM sync_cursor`;
