import { Prisma } from '../../generated/prisma/client.ts';
import type { AgencySystem, Instant } from '../../domain/types.ts';

export interface SubjectUpsertRow {
  uscc: string;
  usccValid: boolean;
  legacyRegNo: string | null;
  name: string;
  townshipCode: string | null;
  countyCode: string | null;
  source: AgencySystem;
  updatedAt: Instant;
}

/**
 * One statement that inserts or merges a batch of reported subjects (each USCC at most once).
 * The merge runs in the database, under the row lock ON CONFLICT takes, so two gateway processes
 * syncing at once cannot lose each other's writes. The rules:
 * - the approval platform is authoritative for name, township and legacy number: its newer
 *   report replaces them; an approval report older than the last one applied changes nothing;
 * - other agencies (credit) only fill fields still empty, until approval has reported the
 *   subject; before that, a newer report of theirs replaces an older one;
 * - `sources` gains the reporting agency; `upstream_updated_at` never moves backwards.
 * Every array goes in as text[] and is cast in SQL, which both PostgreSQL drivers pass alike.
 */
export function upsertSubjectsSql(rows: readonly SubjectUpsertRow[]): Prisma.Sql {
  const column = <K extends keyof SubjectUpsertRow>(key: K) => rows.map((row) => nullableText(row[key]));
  return Prisma.sql`
    INSERT INTO "subject" AS s
      ("uscc", "uscc_valid", "legacy_reg_no", "name", "township_code", "county_code", "sources",
       "upstream_updated_at", "approval_updated_at", "synced_at")
    SELECT e.uscc, e.uscc_valid, e.legacy_reg_no, e.name, e.township_code, e.county_code, ARRAY[e.source],
           e.updated_at, CASE WHEN e.source = 'approval' THEN e.updated_at END, now()
    FROM unnest(
      ${column('uscc')}::text[], ${column('usccValid')}::text[]::boolean[], ${column('legacyRegNo')}::text[],
      ${column('name')}::text[], ${column('townshipCode')}::text[], ${column('countyCode')}::text[],
      ${column('source')}::text[], ${column('updatedAt')}::text[]::timestamptz[]
    ) AS e(uscc, uscc_valid, legacy_reg_no, name, township_code, county_code, source, updated_at)
    ON CONFLICT ("uscc") DO UPDATE SET
      "uscc_valid" = EXCLUDED."uscc_valid",
      "name" = CASE WHEN ${REPLACES} THEN EXCLUDED."name" ELSE s."name" END,
      "legacy_reg_no" = CASE WHEN ${REPLACES}
        THEN COALESCE(EXCLUDED."legacy_reg_no", s."legacy_reg_no")
        ELSE COALESCE(s."legacy_reg_no", EXCLUDED."legacy_reg_no") END,
      "township_code" = CASE WHEN (${REPLACES} AND EXCLUDED."township_code" IS NOT NULL) OR s."township_code" IS NULL
        THEN EXCLUDED."township_code" ELSE s."township_code" END,
      "county_code" = CASE WHEN (${REPLACES} AND EXCLUDED."township_code" IS NOT NULL) OR s."township_code" IS NULL
        THEN EXCLUDED."county_code" ELSE s."county_code" END,
      "sources" = ARRAY(SELECT DISTINCT unnest(COALESCE(s."sources", '{}') || EXCLUDED."sources") ORDER BY 1),
      "upstream_updated_at" = GREATEST(s."upstream_updated_at", EXCLUDED."upstream_updated_at"),
      "approval_updated_at" = GREATEST(s."approval_updated_at", EXCLUDED."approval_updated_at"),
      "synced_at" = now()`;
}

/** Whether the incoming report may replace the stored name, township and legacy number. */
const REPLACES = Prisma.raw(`(
  CASE WHEN EXCLUDED."approval_updated_at" IS NOT NULL
    THEN s."approval_updated_at" IS NULL OR EXCLUDED."approval_updated_at" >= s."approval_updated_at"
    ELSE s."approval_updated_at" IS NULL AND EXCLUDED."upstream_updated_at" >= s."upstream_updated_at"
  END)`);

function nullableText(value: string | boolean | null): string | null {
  return value === null ? null : String(value);
}
