import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { WorkingDayCalendar } from '../domain/working-days.ts';

/** How long before the calendar's last day the gateway starts warning at start. */
export const CALENDAR_WARNING_DAYS = 60;

const DAY_MS = 86_400_000;

/**
 * The State Council publishes next year's arrangement only in the autumn, and a gateway left
 * with an old calendar counts deadlines in the new year without its 调休. /metrics shows the last
 * covered day so an alert can fire well before it passes.
 */
export function registerHolidayCalendarMetrics(registry: Registry, calendar: WorkingDayCalendar): void {
  const last = calendar.lastCoveredDate;
  const gauge = new Gauge({
    name: 'gateway_holiday_calendar_last_covered_day_timestamp_seconds',
    help: 'Start (00:00 China time) of the last day the holiday calendar covers; the date itself is the label `date`.',
    labelNames: ['date'],
    registers: [registry],
  });
  if (last !== null) gauge.set({ date: last }, Date.parse(`${last}T00:00:00+08:00`) / 1000);
}

/** Days from `today` to the calendar's last covered day (negative once it has passed); null when empty. */
export function daysOfCalendarLeft(calendar: WorkingDayCalendar, today: string): number | null {
  const last = calendar.lastCoveredDate;
  return last === null
    ? null
    : Math.round((Date.parse(`${last}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
}

/** Logs a warning at start when the calendar ends within CALENDAR_WARNING_DAYS of today. */
export function warnIfCalendarEndsSoon(
  calendar: WorkingDayCalendar,
  today: string,
  logger: Pick<Logger, 'warn'>,
): boolean {
  const left = daysOfCalendarLeft(calendar, today);
  if (left !== null && left > CALENDAR_WARNING_DAYS) return false;
  logger.warn(
    { lastCoveredDate: calendar.lastCoveredDate, daysLeft: left },
    left === null
      ? 'the holiday calendar is empty: every working-day count is marked calendarCovered: false'
      : `the holiday calendar ends ${calendar.lastCoveredDate} (${left} days from today): add next year's State Council notice ` +
          '(HOLIDAY_CALENDAR_PATH); deadlines beyond it are counted without its 调休 and marked calendarCovered: false',
  );
  return true;
}
