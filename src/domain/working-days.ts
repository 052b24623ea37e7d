import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { LocalDate } from './types.ts';

/**
 * Working days (工作日) in mainland China: Monday to Friday, except the official public holidays
 * and the days taken off with them, plus the weekend days worked to make up for them (调休上班).
 * The State Council publishes each year's arrangement only in the preceding autumn, so the
 * calendar is data (reference-data/holidays-cn.json, or a file named by HOLIDAY_CALENDAR_PATH)
 * that operators update without a release.
 */

/** The calendar shipped with the gateway. */
export const BUNDLED_HOLIDAY_CALENDAR_PATH = fileURLToPath(new URL('../../reference-data/holidays-cn.json', import.meta.url));

const civilDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine(isRealDate, 'is not a calendar date');

const calendarFile = z.object({
  description: z.string().optional(),
  years: z.record(
    z.string().regex(/^\d{4}$/, 'year must have four digits'),
    z.object({
      notice: z.string().optional(),
      holidays: z.array(z.object({ name: z.string().min(1), from: civilDate, to: civilDate })),
      workdays: z.array(z.object({ date: civilDate, for: z.string().optional() })),
    }),
  ),
});

export type HolidayCalendarData = z.infer<typeof calendarFile>;

const DAY_MS = 86_400_000;

export class WorkingDayCalendar {
  private readonly daysOff = new Map<LocalDate, string>();
  private readonly madeUpWorkdays = new Set<LocalDate>();
  /** Years whose arrangement the data holds; outside them only weekends are days off. */
  readonly coveredYears: readonly number[];

  constructor(data: HolidayCalendarData) {
    for (const year of Object.values(data.years)) {
      for (const holiday of year.holidays) {
        if (holiday.to < holiday.from) throw new Error(`Holiday calendar: ${holiday.name} ends (${holiday.to}) before it starts (${holiday.from})`);
        for (let day = holiday.from; day <= holiday.to; day = shiftDays(day, 1)) this.daysOff.set(day, holiday.name);
      }
      for (const workday of year.workdays) this.madeUpWorkdays.add(workday.date);
    }
    const clash = [...this.madeUpWorkdays].find((day) => this.daysOff.has(day));
    if (clash) throw new Error(`Holiday calendar: ${clash} is listed both as a holiday and as a working day`);
    this.coveredYears = Object.keys(data.years).map(Number).sort((a, b) => a - b);
  }

  /** Whether offices work on this civil date. */
  isWorkingDay(date: LocalDate): boolean {
    assertCivilDate(date);
    if (this.madeUpWorkdays.has(date)) return true;
    if (this.daysOff.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /** The holiday a date belongs to (`春节`), or null on ordinary days and weekends. */
  holidayOn(date: LocalDate): string | null {
    assertCivilDate(date);
    return this.madeUpWorkdays.has(date) ? null : (this.daysOff.get(date) ?? null);
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
    for (let remaining = Math.abs(n); remaining > 0; ) {
      day = shiftDays(day, step);
      if (this.isWorkingDay(day)) remaining -= 1;
    }
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
    let count = 0;
    for (let day = shiftDays(from, 1); day <= to; day = shiftDays(day, 1)) if (this.isWorkingDay(day)) count += 1;
    return count;
  }
}

/** Builds a calendar from parsed JSON, naming every problem in the data at once. */
export function workingDayCalendarFrom(data: unknown, source = 'holiday calendar'): WorkingDayCalendar {
  const parsed = calendarFile.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid ${source}:\n${problems.join('\n')}`);
  }
  return new WorkingDayCalendar(parsed.data);
}

/** Reads a calendar file (the bundled one unless a path is given). */
export function loadWorkingDayCalendar(path: string = BUNDLED_HOLIDAY_CALENDAR_PATH): WorkingDayCalendar {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the holiday calendar ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`The holiday calendar ${path} is not JSON: ${(error as Error).message}`);
  }
  return workingDayCalendarFrom(json, `holiday calendar ${path}`);
}

function shiftDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function isRealDate(text: string): boolean {
  const parsed = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(parsed) && new Date(parsed).toISOString().slice(0, 10) === text;
}

function assertCivilDate(date: LocalDate): void {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !isRealDate(date)) throw new RangeError(`Not a civil date (YYYY-MM-DD): ${JSON.stringify(date)}`);
}
