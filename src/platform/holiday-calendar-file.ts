import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isRealDate, WorkingDayCalendar, type HolidayCalendarData } from '../domain/working-days.ts';

/** The calendar shipped with the gateway. */
export const BUNDLED_HOLIDAY_CALENDAR_PATH = fileURLToPath(
  new URL('../../reference-data/holidays-cn.json', import.meta.url),
);
const civilDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine(isRealDate, 'is not a calendar date');

const monthDay = z
  .string()
  .regex(/^\d{2}-\d{2}$/, 'must be MM-DD')
  .refine((md) => isRealDate(`2024-${md}`), 'is not a day of the year');

const calendarFile = z.object({
  description: z.string().optional(),
  fixedDateHolidaysSource: z.string().optional(),
  /**
   * The holidays the law fixes on the Gregorian calendar (全国年节及纪念日放假办法: 元旦, 劳动节,
   * 国庆节). Outside the covered years these are still known to be days off, so an uncovered
   * deadline is at least not early on them; the lunar holidays and the 调休 need the notice.
   */
  fixedDateHolidays: z.array(z.object({ name: z.string().min(1), on: monthDay })).optional(),
  years: z.record(
    z.string().regex(/^\d{4}$/, 'year must have four digits'),
    z.object({
      notice: z.string().optional(),
      holidays: z.array(z.object({ name: z.string().min(1), from: civilDate, to: civilDate })),
      workdays: z.array(z.object({ date: civilDate, for: z.string().optional() })),
    }),
  ),
});

// The file's shape must stay what the domain's calendar is built from.
const shapeMatches: z.ZodType<HolidayCalendarData> = calendarFile;

/** Builds a calendar from parsed JSON, naming every problem in the data at once. */
export function workingDayCalendarFrom(data: unknown, source = 'holiday calendar'): WorkingDayCalendar {
  const parsed = shapeMatches.safeParse(data);
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
    throw new Error(`Cannot read the holiday calendar ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`The holiday calendar ${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  return workingDayCalendarFrom(json, `holiday calendar ${path}`);
}
