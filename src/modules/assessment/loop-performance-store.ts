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

/** One unit's figures from one kind of record, counted by the database (see `unitTallies`). */
export interface UnitTallyRow {
  authority: string;
  township: string;
  received: number;
  answered: number;
  answeredInTime: number;
  handled: number;
  decided: number;
  executed: number;
  /** Per step, how many records reached it and the working days they took in all. */
  toAnswer: number;
  toAnswerDays: number;
  toCaseFiled: number;
  toCaseFiledDays: number;
  toDecision: number;
  toDecisionDays: number;
  toExecution: number;
  toExecutionDays: number;
  /** Steps with a day outside the running count given: their working days were not counted. */
  beyond: number;
  /** The earliest and latest day of the spans outside the calendar's years, or null when none. */
  uncoveredFrom: string | null;
  uncoveredTo: string | null;
}

/** Working days after `first` up to each day from it (`counts[0]` is 0), and the calendar's years. */
export interface WorkingDayTable {
  first: string;
  counts: readonly number[];
  coveredYears: readonly number[];
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

  /**
   * The assessment figures per unit (authority and township), one row per unit and kind of record,
   * counted here rather than in the gateway: a year's steps grow with the county, its units do not.
   * Each record kind is a set of steps `(step, a, b)`; the working days of a step are the running
   * count at `b` less that at `a`, and a step is covered when its years are consecutive covered ones.
   */
  async unitTallies(
    f: PerformanceFilter,
    days: WorkingDayTable,
    sources: { clues: boolean; executions: boolean },
    handledStatuses: readonly string[],
  ): Promise<UnitTallyRow[]> {
    const clues = Prisma.sql`
      SELECT c.receiver_code AS authority, c.township_code AS township, c.status, c.answer_due_on AS due, x.step, x.a, x.b
      FROM loop_clue c LEFT JOIN loop_case k ON k.case_no = c.case_no
      CROSS JOIN LATERAL (VALUES ('due', ${day('c.received_at')}, c.answer_due_on),
                                 ('toAnswer', ${day('c.received_at')}, ${day('c.responded_at')}),
                                 ('toCaseFiled', ${day('c.received_at')}, ${day('k.filed_at')})) AS x(step, a, b)
      WHERE x.b IS NOT NULL AND ${day('c.received_at')} BETWEEN ${f.from}::date AND ${f.to}::date
        AND ${this.#where(f, 'c.township_code', 'c.receiver_code')}`;
    const cases = Prisma.sql`
      SELECT k.authority_code AS authority, k.township_code AS township, NULL::text AS status, NULL::date AS due,
             'toDecision' AS step, ${day('k.filed_at')} AS a, ${day('k.decided_at')} AS b
      FROM loop_case k
      WHERE ${day('k.decided_at')} BETWEEN ${f.from}::date AND ${f.to}::date AND ${this.#where(f, 'k.township_code', 'k.authority_code')}`;
    const penalties = Prisma.sql`
      SELECT k.authority_code AS authority, k.township_code AS township, NULL::text AS status, NULL::date AS due,
             'toExecution' AS step, ${day('p.decided_at')} AS a, ${day('p.executed_at')} AS b
      FROM loop_penalty p JOIN loop_case k ON k.case_no = p.case_no
      WHERE ${day('p.executed_at')} BETWEEN ${f.from}::date AND ${f.to}::date AND ${this.#where(f, 'k.township_code', 'k.authority_code')}`;
    const steps = Prisma.join(
      [...(sources.clues ? [clues] : []), cases, ...(sources.executions ? [penalties] : [])],
      ' UNION ALL ',
    );
    const counts = [...days.counts];
    const years = [...days.coveredYears];
    const position = (d: string) =>
      Prisma.sql`array_position(${years}::int[], date_part('year', ${Prisma.raw(d)})::int)`;
    // Each step's working days and coverage are computed once (OFFSET 0 keeps the planner from
    // copying these expressions into every aggregate that reads them).
    const measured = Prisma.sql`
      SELECT authority, township, status, due, step, a, b,
        (${counts}::int[])[b - ${days.first}::date + 1] - (${counts}::int[])[a - ${days.first}::date + 1] AS worked,
        (${position('a')} IS NOT NULL AND ${position('b')} IS NOT NULL
          AND abs(${position('b')} - ${position('a')}) = abs(date_part('year', b)::int - date_part('year', a)::int)) AS covered
      FROM (${steps}) AS steps OFFSET 0`;
    const step = (name: string) => Prisma.sql`
      count(*) FILTER (WHERE step = ${name})::int AS ${Prisma.raw(`"${name}"`)},
      coalesce(sum(worked) FILTER (WHERE step = ${name}), 0)::int AS ${Prisma.raw(`"${name}Days"`)}`;
    return this.db.$queryRaw<UnitTallyRow[]>`
      SELECT authority, township,
        count(*) FILTER (WHERE step = 'due')::int AS received,
        count(*) FILTER (WHERE step = 'toAnswer')::int AS answered,
        count(*) FILTER (WHERE step = 'toAnswer' AND b <= due)::int AS "answeredInTime",
        count(*) FILTER (WHERE step = 'due' AND status = ANY(${[...handledStatuses]}::text[]))::int AS handled,
        count(*) FILTER (WHERE step = 'toDecision')::int AS decided,
        count(*) FILTER (WHERE step = 'toExecution')::int AS executed,
        ${step('toAnswer')}, ${step('toCaseFiled')}, ${step('toDecision')}, ${step('toExecution')},
        count(*) FILTER (WHERE step <> 'due' AND worked IS NULL)::int AS beyond,
        min(least(a, b)) FILTER (WHERE NOT covered)::text AS "uncoveredFrom",
        max(greatest(a, b)) FILTER (WHERE NOT covered)::text AS "uncoveredTo"
      FROM (${measured}) AS measured
      GROUP BY authority, township`;
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
