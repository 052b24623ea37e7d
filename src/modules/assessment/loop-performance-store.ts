import { Prisma, type PrismaClient } from '../../generated/prisma/client.ts';

export interface PerformanceFilter {
  from: string;
  to: string;
  /** Division code prefixes a row's township must start with (jurisdiction, township filter). */
  townshipPrefixes: readonly string[];
  authorityCode: string | null;
}

export interface ReceivedClueRow {
  authority: string;
  township: string;
  receivedOn: string;
  respondedOn: string | null;
  answerDueOn: string;
  status: string;
  caseFiledOn: string | null;
}

export interface DecidedCaseRow {
  authority: string;
  township: string;
  filedOn: string;
  decidedOn: string;
}

export interface ExecutedPenaltyRow {
  authority: string;
  township: string;
  decidedOn: string;
  executedOn: string;
}

export interface ItemUseRow {
  authority: string;
  township: string;
  itemCode: string;
  cases: number;
}

const day = (column: string) => Prisma.raw(`(((${column}) AT TIME ZONE 'UTC') + interval '8 hours')::date`);

/** The loop index's rows behind the assessment figures (考核), one period at a time. */
export class LoopPerformanceStore {
  constructor(private readonly db: PrismaClient | Prisma.TransactionClient) {}

  #where(f: PerformanceFilter, township: string, authority: string): Prisma.Sql {
    const prefixes = [...f.townshipPrefixes];
    return Prisma.sql`
      (cardinality(${prefixes}::text[]) = 0 OR ${Prisma.raw(township)} LIKE ALL (SELECT pre || '%' FROM unnest(${prefixes}::text[]) AS pre))
      AND (${f.authorityCode}::text IS NULL OR ${Prisma.raw(authority)} = ${f.authorityCode}::text)`;
  }

  receivedClues(f: PerformanceFilter): Promise<ReceivedClueRow[]> {
    return this.db.$queryRaw<ReceivedClueRow[]>`
      SELECT c.receiver_code AS authority, c.township_code AS township, ${day('c.received_at')}::text AS "receivedOn",
             ${day('c.responded_at')}::text AS "respondedOn", c.answer_due_on::text AS "answerDueOn", c.status,
             ${day('k.filed_at')}::text AS "caseFiledOn"
      FROM loop_clue c LEFT JOIN loop_case k ON k.case_no = c.case_no
      WHERE ${day('c.received_at')} BETWEEN ${f.from}::date AND ${f.to}::date AND ${this.#where(f, 'c.township_code', 'c.receiver_code')}`;
  }

  decidedCases(f: PerformanceFilter): Promise<DecidedCaseRow[]> {
    return this.db.$queryRaw<DecidedCaseRow[]>`
      SELECT k.authority_code AS authority, k.township_code AS township, ${day('k.filed_at')}::text AS "filedOn",
             ${day('k.decided_at')}::text AS "decidedOn"
      FROM loop_case k
      WHERE ${day('k.decided_at')} BETWEEN ${f.from}::date AND ${f.to}::date AND ${this.#where(f, 'k.township_code', 'k.authority_code')}`;
  }

  executedPenalties(f: PerformanceFilter): Promise<ExecutedPenaltyRow[]> {
    return this.db.$queryRaw<ExecutedPenaltyRow[]>`
      SELECT k.authority_code AS authority, k.township_code AS township, ${day('p.decided_at')}::text AS "decidedOn",
             ${day('p.executed_at')}::text AS "executedOn"
      FROM loop_penalty p JOIN loop_case k ON k.case_no = p.case_no
      WHERE ${day('p.executed_at')} BETWEEN ${f.from}::date AND ${f.to}::date AND ${this.#where(f, 'k.township_code', 'k.authority_code')}`;
  }

  /** Cases filed in the period per authority, township and power item. */
  itemUse(f: PerformanceFilter): Promise<ItemUseRow[]> {
    return this.db.$queryRaw<ItemUseRow[]>`
      SELECT k.authority_code AS authority, k.township_code AS township, k.power_item_code AS "itemCode", count(*)::int AS cases
      FROM loop_case k
      WHERE ${day('k.filed_at')} BETWEEN ${f.from}::date AND ${f.to}::date AND ${this.#where(f, 'k.township_code', 'k.authority_code')}
      GROUP BY 1, 2, 3`;
  }
}
