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
  average(): string | null {
    return this.#count === 0 ? null : (this.#sum / this.#count).toFixed(2);
  }
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

/** The assessment figures (考核评估) of each unit, from the loop index. */
export class AuthorityPerformanceService {
  constructor(
    private readonly store: LoopPerformanceStore,
    private readonly calendar: WorkingDayCalendar,
    private readonly powerItems: () => Promise<readonly PowerItem[]>,
  ) {}

  /**
   * `sources` says which records the caller may have figures from: without clues (or executions)
   * no unit is formed from them, so the rows themselves reveal nothing refused; the figures are
   * also refused field by field by their `@reveals` declarations. `onUncovered` is told when a
   * figure needed days beyond the holiday calendar (the request's warnings).
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
    const [clues, cases, penalties, itemUse, items] = await Promise.all([
      sources.clues ? this.store.receivedClues(filter) : [],
      this.store.decidedCases(filter),
      sources.executions ? this.store.executedPenalties(filter) : [],
      this.store.itemUse(filter),
      this.powerItems(),
    ]);
    const tallies = new Map<string, Tally>();
    const tally = (authority: string, townshipCode: string) => {
      const key = `${authority}|${townshipCode}`;
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
    };
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
