import type { PowerItem } from '../../domain/types.ts';
import type { UncoveredListener, WorkingDayCalendar } from '../../domain/working-days.ts';
import { BadUserInputError } from '../../platform/errors.ts';
import type { LoopPerformanceStore, PerformanceFilter } from './loop-performance-store.ts';

export interface StepDurations {
  toAnswer: string | null;
  toCaseFiled: string | null;
  toDecision: string | null;
  toExecution: string | null;
}

export interface AuthorityPerformance {
  authorityCode: string;
  townshipCode: string;
  transfersReceived: number;
  answered: number;
  answeredInTime: number;
  responseRate: string | null;
  inTimeRate: string | null;
  handled: number;
  handlingRate: string | null;
  averageWorkingDays: StepDurations;
  casesDecided: number;
  casesExecuted: number;
  /** False when a working-day figure of this unit needed a day outside the holiday calendar. */
  calendarCovered: boolean;
}

export interface TownshipPowerUse {
  townshipCode: string;
  delegatedItems: number;
  exercised: Array<{ item: PowerItem; cases: number }>;
  neverExercised: PowerItem[];
}

export interface AuthorityPerformanceReport {
  from: string;
  to: string;
  units: AuthorityPerformance[];
  delegatedPowers: TownshipPowerUse[];
  /** False when any working-day figure needed a day outside the holiday calendar. */
  calendarCovered: boolean;
}

export interface PerformanceQuery {
  from: string;
  to: string;
  townshipCode?: string | null;
  authorityCode?: string | null;
}

/** Which kinds of record figures may be computed from for the caller. */
export interface PerformanceSources {
  clues: boolean;
  executions: boolean;
}

const ALL_SOURCES: PerformanceSources = { clues: true, executions: true };

/** A clue is handled once a case is filed on it or it is properly returned (退回, with a reason). */
const HANDLED = new Set(['CASE_FILED', 'RETURNED']);

/** Sums and counts of working days, per step. */
class Durations {
  #sum = 0;
  #count = 0;
  add(days: number): void {
    this.#sum += days;
    this.#count += 1;
  }
  addAll(days: number, count: number): void {
    this.#sum += days;
    this.#count += count;
  }
  average(): string | null {
    return this.#count === 0 ? null : (this.#sum / this.#count).toFixed(2);
  }
}

/** Days of working-day count kept either side of the period: steps rarely reach further. */
const COUNTED_MARGIN_DAYS = 1_100;
/** A longer period (centuries, only from odd input) is tallied record by record. */
const MAX_TABLE_DAYS = 36_600;
const DAY_MS = 86_400_000;

const epochDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;

/** The date `days` after `date`, or null when it leaves the years written with four digits. */
function shiftDays(date: string, days: number): string | null {
  const shifted = new Date((epochDay(date) + days) * DAY_MS).toISOString();
  return /^\d{4}-/.test(shifted) ? shifted.slice(0, 10) : null;
}

interface Tally {
  received: number;
  answered: number;
  inTime: number;
  handled: number;
  decided: number;
  executed: number;
  toAnswer: Durations;
  toCaseFiled: Durations;
  toDecision: Durations;
  toExecution: Durations;
  covered: boolean;
}

function tallyOf(tallies: Map<string, Tally>, authority: string, township: string): Tally {
  const key = `${authority}|${township}`;
  let t = tallies.get(key);
  if (!t) {
    t = {
      received: 0,
      answered: 0,
      inTime: 0,
      handled: 0,
      decided: 0,
      executed: 0,
      toAnswer: new Durations(),
      toCaseFiled: new Durations(),
      toDecision: new Durations(),
      toExecution: new Durations(),
      covered: true,
    };
    tallies.set(key, t);
  }
  return t;
}

/** The assessment figures (考核评估) of each unit, from the loop index. */
export class AuthorityPerformanceService {
  constructor(
    private readonly store: LoopPerformanceStore,
    private readonly calendar: WorkingDayCalendar,
    private readonly powerItems: () => Promise<readonly PowerItem[]>,
    /** Tally every record here instead (the reference the database's counts are checked against). */
    private readonly options: { tallyRecordsHere?: boolean } = {},
  ) {}

  /**
   * `sources` says which records the caller may have figures from: without clues (or executions)
   * no unit is formed from them, so the rows themselves reveal nothing refused; the figures are
   * also refused field by field by their `@reveals` declarations.
   */
  async report(
    query: PerformanceQuery,
    scope: string | null,
    sources: PerformanceSources = ALL_SOURCES,
    onUncovered?: UncoveredListener,
  ): Promise<AuthorityPerformanceReport> {
    const calendar = onUncovered ? this.calendar.reportingTo(onUncovered) : this.calendar;
    const { from, to } = query;
    if (to < from) throw new BadUserInputError(`period.to (${to}) is before period.from (${from})`);
    const township = query.townshipCode?.trim() || null;
    if (township !== null && !/^\d{9}$/.test(township)) {
      throw new BadUserInputError(`townshipCode must be a 9-digit township code, got ${JSON.stringify(township)}`);
    }
    const filter: PerformanceFilter = {
      from,
      to,
      townshipPrefixes: [...(scope === null ? [] : [scope]), ...(township === null ? [] : [township])],
      authorityCode: query.authorityCode?.trim() || null,
    };
    const [tallies, itemUse, items] = await Promise.all([
      this.#tallies(filter, sources, calendar),
      this.store.itemUse(filter),
      this.powerItems(),
    ]);
    const units = [...tallies.entries()]
      .map(([key, t]) => {
        const [authorityCode, townshipCode] = key.split('|') as [string, string];
        return {
          authorityCode,
          townshipCode,
          transfersReceived: t.received,
          answered: t.answered,
          answeredInTime: t.inTime,
          responseRate: rate(t.answered, t.received),
          inTimeRate: rate(t.inTime, t.received),
          handled: t.handled,
          handlingRate: rate(t.handled, t.received),
          averageWorkingDays: {
            toAnswer: t.toAnswer.average(),
            toCaseFiled: t.toCaseFiled.average(),
            toDecision: t.toDecision.average(),
            toExecution: t.toExecution.average(),
          },
          casesDecided: t.decided,
          casesExecuted: t.executed,
          calendarCovered: t.covered,
        };
      })
      .sort((a, b) => a.authorityCode.localeCompare(b.authorityCode) || a.townshipCode.localeCompare(b.townshipCode));
    const calendarCovered = calendar.covers(from, to) && units.every((unit) => unit.calendarCovered);
    return { from, to, units, delegatedPowers: delegatedPowerUse(items, itemUse, filter), calendarCovered };
  }

  /**
   * Each unit's figures, counted by the database against the calendar's running count of working
   * days around the period: a year's steps grow with the county, its units do not. A step
   * reaching beyond that table (years before or after the period) has its records tallied here.
   */
  async #tallies(
    filter: PerformanceFilter,
    sources: PerformanceSources,
    calendar: WorkingDayCalendar,
  ): Promise<Map<string, Tally>> {
    const first = shiftDays(filter.from, -COUNTED_MARGIN_DAYS);
    const last = shiftDays(filter.to, COUNTED_MARGIN_DAYS);
    if (
      this.options.tallyRecordsHere ||
      first === null ||
      last === null ||
      epochDay(last) - epochDay(first) > MAX_TABLE_DAYS
    )
      return this.#tallyRecords(filter, sources, calendar);
    const days = {
      first,
      counts: [...calendar.runningWorkingDays(first, last)],
      coveredYears: calendar.coveredYears,
    };
    const rows = await this.store.unitTallies(filter, days, sources, [...HANDLED]);
    if (rows.some((row) => row.beyond > 0)) return this.#tallyRecords(filter, sources, calendar);
    const tallies = new Map<string, Tally>();
    for (const row of rows) {
      const t = tallyOf(tallies, row.authority, row.township);
      t.received += row.received;
      t.answered += row.answered;
      t.inTime += row.answeredInTime;
      t.handled += row.handled;
      t.decided += row.decided;
      t.executed += row.executed;
      t.toAnswer.addAll(row.toAnswerDays, row.toAnswer);
      t.toCaseFiled.addAll(row.toCaseFiledDays, row.toCaseFiled);
      t.toDecision.addAll(row.toDecisionDays, row.toDecision);
      t.toExecution.addAll(row.toExecutionDays, row.toExecution);
      // Asked here so that the request's warning spans the days the database found uncovered.
      if (row.uncoveredFrom !== null && !calendar.covers(row.uncoveredFrom, row.uncoveredTo ?? row.uncoveredFrom))
        t.covered = false;
    }
    return tallies;
  }

  /** Each unit's figures, tallied here from every record of the period. */
  async #tallyRecords(
    filter: PerformanceFilter,
    sources: PerformanceSources,
    calendar: WorkingDayCalendar,
  ): Promise<Map<string, Tally>> {
    const [clues, cases, penalties] = await Promise.all([
      sources.clues ? this.store.receivedClues(filter) : [],
      this.store.decidedCases(filter),
      sources.executions ? this.store.executedPenalties(filter) : [],
    ]);
    const tallies = new Map<string, Tally>();
    const tally = (authority: string, township: string) => tallyOf(tallies, authority, township);
    // Each count marks its unit when it needed a day the calendar does not hold (the calendar
    // also warns the request); the due day was counted when the clue was indexed.
    const between = (t: Tally, a: string, b: string) => {
      if (!calendar.covers(a, b)) t.covered = false;
      return calendar.workingDaysBetween(a, b);
    };
    for (const clue of clues) {
      const t = tally(clue.authority, clue.township);
      t.received += 1;
      if (!calendar.covers(clue.receivedOn, clue.answerDueOn)) t.covered = false;
      if (clue.respondedOn !== null) {
        t.answered += 1;
        if (clue.respondedOn <= clue.answerDueOn) t.inTime += 1;
        t.toAnswer.add(between(t, clue.receivedOn, clue.respondedOn));
      }
      if (HANDLED.has(clue.status)) t.handled += 1;
      if (clue.caseFiledOn !== null) t.toCaseFiled.add(between(t, clue.receivedOn, clue.caseFiledOn));
    }
    for (const c of cases) {
      const t = tally(c.authority, c.township);
      t.decided += 1;
      t.toDecision.add(between(t, c.filedOn, c.decidedOn));
    }
    for (const p of penalties) {
      const t = tally(p.authority, p.township);
      t.executed += 1;
      t.toExecution.add(between(t, p.decidedOn, p.executedOn));
    }
    return tallies;
  }
}

function rate(part: number, whole: number): string | null {
  return whole === 0 ? null : (part / whole).toFixed(4);
}

/**
 * Per township, the items delegated to it (赋权) at some time in the period, split into those its
 * delegated authority filed cases on and those it never did.
 */
function delegatedPowerUse(
  items: readonly PowerItem[],
  itemUse: ReadonlyArray<{ authority: string; township: string; itemCode: string; cases: number }>,
  filter: PerformanceFilter,
): TownshipPowerUse[] {
  const used = new Map(itemUse.map((u) => [`${u.township}|${u.itemCode}|${u.authority}`, u.cases]));
  const townships = new Map<string, TownshipPowerUse>();
  for (const item of items) {
    const holders = new Map<string, Set<string>>();
    for (const d of item.delegations) {
      if (d.mode !== 'DELEGATED' || d.validFrom > filter.to || (d.validUntil !== null && d.validUntil < filter.from))
        continue;
      if (!filter.townshipPrefixes.every((prefix) => d.townshipCode.startsWith(prefix))) continue;
      if (filter.authorityCode !== null && d.authorityCode !== filter.authorityCode) continue;
      (holders.get(d.townshipCode) ?? holders.set(d.townshipCode, new Set()).get(d.townshipCode)!).add(d.authorityCode);
    }
    for (const [townshipCode, authorities] of holders) {
      let use = townships.get(townshipCode);
      if (!use) {
        use = { townshipCode, delegatedItems: 0, exercised: [], neverExercised: [] };
        townships.set(townshipCode, use);
      }
      use.delegatedItems += 1;
      const cases = [...authorities].reduce(
        (sum, authority) => sum + (used.get(`${townshipCode}|${item.code}|${authority}`) ?? 0),
        0,
      );
      if (cases > 0) use.exercised.push({ item, cases });
      else use.neverExercised.push(item);
    }
  }
  return [...townships.values()].sort((a, b) => a.townshipCode.localeCompare(b.townshipCode));
}
