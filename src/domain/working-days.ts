import type { LocalDate } from './types.ts';

/**
 * Working days (工作日) in mainland China: Monday to Friday, except the official public holidays
 * and the days taken off with them, plus the weekend days worked to make up for them (调休上班).
 * The State Council publishes each year's arrangement only in the preceding autumn, so the
 * calendar is data (reference-data/holidays-cn.json, or a file named by HOLIDAY_CALENDAR_PATH),
 * read and validated by src/platform/holiday-calendar-file.ts; this file holds only the rules.
 */

/** A holiday calendar's data, as the calendar file holds it once validated. */
export interface HolidayCalendarData {
  description?: string | undefined;
  fixedDateHolidaysSource?: string | undefined;
  /**
   * The holidays the law fixes on the Gregorian calendar (全国年节及纪念日放假办法: 元旦, 劳动节,
   * 国庆节). Outside the covered years these are still known to be days off, so an uncovered
   * deadline is at least not early on them; the lunar holidays and the 调休 need the notice.
   */
  fixedDateHolidays?: Array<{ name: string; on: string }> | undefined;
  years: Record<
    string,
    {
      notice?: string | undefined;
      holidays: Array<{ name: string; from: LocalDate; to: LocalDate }>;
      workdays: Array<{ date: LocalDate; for?: string | undefined }>;
    }
  >;
}

/** Told whenever a computation needed a day outside the covered years. */
export type UncoveredListener = (span: { from: LocalDate; to: LocalDate; lastCoveredDate: LocalDate | null }) => void;

const DAY_MS = 86_400_000;

export class WorkingDayCalendar {
  private readonly daysOff = new Map<LocalDate, string>();
  private readonly madeUpWorkdays = new Set<LocalDate>();
  private readonly fixedDateHolidays = new Map<string, string>();
  private readonly covered: ReadonlySet<number>;
  private listeners: readonly UncoveredListener[] = [];
  /** Working days from a first day up to each day after it (see workingDaysBetween); shared with every view. */
  private readonly memo: { running?: { first: number; counts: Int32Array } } = {};
  /**
   * Years whose arrangement the data holds. Outside them weekends and the fixed-date statutory
   * holidays are days off, and every computation that needs such a day is reported as not
   * covered (`covered`, `onUncovered`): a deadline there may be off by the unknown 调休.
   */
  readonly coveredYears: readonly number[];
  /** Last day of the last covered year; null for an empty calendar. */
  readonly lastCoveredDate: LocalDate | null;

  constructor(data: HolidayCalendarData) {
    for (const fixed of data.fixedDateHolidays ?? []) this.fixedDateHolidays.set(fixed.on, fixed.name);
    for (const year of Object.values(data.years)) {
      for (const holiday of year.holidays) {
        if (holiday.to < holiday.from)
          throw new Error(`Holiday calendar: ${holiday.name} ends (${holiday.to}) before it starts (${holiday.from})`);
        for (let day = holiday.from; day <= holiday.to; day = shiftDays(day, 1)) this.daysOff.set(day, holiday.name);
      }
      for (const workday of year.workdays) this.madeUpWorkdays.add(workday.date);
    }
    const clash = [...this.madeUpWorkdays].find((day) => this.daysOff.has(day));
    if (clash) throw new Error(`Holiday calendar: ${clash} is listed both as a holiday and as a working day`);
    this.coveredYears = Object.keys(data.years)
      .map(Number)
      .sort((a, b) => a - b);
    this.covered = new Set(this.coveredYears);
    const lastYear = this.coveredYears.at(-1);
    this.lastCoveredDate = lastYear === undefined ? null : `${lastYear}-12-31`;
  }

  /** Calls `listener` each time a computation needs a day outside the covered years. */
  onUncovered(listener: UncoveredListener): void {
    this.listeners = [...this.listeners, listener];
  }

  /**
   * This calendar telling `listener` too (one request's warnings), handed over explicitly rather
   * than found through an async scope; the holidays and the running count stay shared.
   */
  reportingTo(listener: UncoveredListener): WorkingDayCalendar {
    const view = Object.create(this) as WorkingDayCalendar;
    view.listeners = [...this.listeners, listener];
    return view;
  }

  /**
   * Whether every day from `from` to `to` (either order) lies in a covered year. When not, the
   * listeners are told, so that a request that relied on it can say so in its answer.
   */
  covers(from: LocalDate, to: LocalDate = from): boolean {
    assertCivilDate(from);
    assertCivilDate(to);
    const [low, high] = from <= to ? [from, to] : [to, from];
    for (let year = Number(low.slice(0, 4)); year <= Number(high.slice(0, 4)); year++) {
      if (!this.covered.has(year)) {
        for (const listener of this.listeners) listener({ from: low, to: high, lastCoveredDate: this.lastCoveredDate });
        return false;
      }
    }
    return true;
  }

  /** Whether offices work on this civil date. */
  isWorkingDay(date: LocalDate): boolean {
    assertCivilDate(date);
    this.covers(date);
    return this.isOpen(date);
  }

  private isOpen(date: LocalDate): boolean {
    if (this.madeUpWorkdays.has(date)) return true;
    if (this.daysOff.has(date)) return false;
    if (!this.covered.has(Number(date.slice(0, 4))) && this.fixedDateHolidays.has(date.slice(5))) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The holiday a date belongs to (`春节`), or null on ordinary days and weekends. */
  holidayOn(date: LocalDate): string | null {
    assertCivilDate(date);
    if (this.madeUpWorkdays.has(date)) return null;
    const listed = this.daysOff.get(date);
    if (listed !== undefined) return listed;
    return this.covered.has(Number(date.slice(0, 4))) ? null : (this.fixedDateHolidays.get(date.slice(5)) ?? null);
  }

  /**
   * The date `n` working days after `date`, the date itself not counted: a clue received on a
   * Friday with 5 working days to answer is due the next Friday. Negative `n` counts back; 0
   * gives the date itself, working day or not.
   */
  addWorkingDays(date: LocalDate, n: number): LocalDate {
    assertCivilDate(date);
    if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays: n must be a whole number, got ${n}`);
    const step = n < 0 ? -1 : 1;
    let day = date;
    for (let remaining = Math.abs(n); remaining > 0;) {
      day = shiftDays(day, step);
      if (this.isOpen(day)) remaining -= 1;
    }
    this.covers(date, day);
    return day;
  }

  /**
   * Working days after `from` up to and including `to` (negative when `to` is earlier), so that
   * `workingDaysBetween(d, addWorkingDays(d, n)) === n`: the working days a step took.
   */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    assertCivilDate(from);
    assertCivilDate(to);
    if (to < from) return -this.workingDaysBetween(to, from);
    this.covers(from, to);
    const [low, high] = [epochDay(from), epochDay(to)];
    if (high - low > MAX_COUNTED_SPAN) {
      let count = 0;
      for (let day = shiftDays(from, 1); day <= to; day = shiftDays(day, 1)) if (this.isOpen(day)) count += 1;
      return count;
    }
    // An assessment counts the days of tens of thousands of steps: a running count answers each
    // in constant time instead of walking every day of every step.
    const running = this.runningCount(low, high);
    return running.counts[high - running.first]! - running.counts[low - running.first]!;
  }

  /**
   * Working days after `from` up to each day to `to` (index 0 is `from`, 0), so that a store can
   * count steps itself: `workingDaysBetween(a, b)` is `counts[b - from] - counts[a - from]`. Tells
   * no listener: whoever counts with it asks `covers` for the spans it counted.
   */
  runningWorkingDays(from: LocalDate, to: LocalDate): Int32Array {
    assertCivilDate(from);
    assertCivilDate(to);
    const [low, high] = [epochDay(from), epochDay(to)];
    if (high < low || high - low > MAX_COUNTED_SPAN) throw new RangeError(`runningWorkingDays: ${from} to ${to}`);
    const running = this.runningCount(low, high);
    const base = running.counts[low - running.first]!;
    return running.counts.slice(low - running.first, high - running.first + 1).map((count) => count - base);
  }

  private runningCount(low: number, high: number): { first: number; counts: Int32Array } {
    const near = this.memo.running;
    if (near && low >= near.first && high < near.first + near.counts.length) return near;
    // A far-off span starts a table of its own rather than stretching this one across centuries.
    const kept =
      near && Math.max(high, near.first + near.counts.length) - Math.min(low, near.first) <= MAX_COUNTED_SPAN
        ? near
        : undefined;
    // Widened by a year each way so that neighbouring requests reuse it.
    const first = Math.min(low, kept?.first ?? low) - 366;
    const last = Math.max(high, kept ? kept.first + kept.counts.length - 1 : high) + 366;
    const counts = new Int32Array(last - first + 1);
    for (let day = first + 1, count = 0; day <= last; day++) {
      if (this.isOpen(new Date(day * DAY_MS).toISOString().slice(0, 10))) count += 1;
      counts[day - first] = count;
    }
    this.memo.running = { first, counts };
    return this.memo.running;
  }
}

/** Longer spans (centuries, only from odd input) are walked day by day rather than tabulated. */
const MAX_COUNTED_SPAN = 36_600;

function epochDay(date: LocalDate): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS;
}

function shiftDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether `YYYY-MM-DD` text names a day that exists. */
export function isRealDate(text: string): boolean {
  const parsed = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === text;
}

function assertCivilDate(date: LocalDate): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isRealDate(date))
    throw new RangeError(`Not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}
