import type { Instant, LocalDate } from './types.ts';

/** Midnight China time of a civil date, for placing date-only events on a timeline. */
export function startOfChinaDay(date: LocalDate): Instant {
  return `${date}T00:00:00+08:00`;
}

/** Today's civil date in China Standard Time. */
export function chinaToday(now: Date = new Date()): LocalDate {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * Orders instants by the moment they name. Their text does not sort: a fractional second
 * (`09:30:00.500+08:00`) collates before a whole one (`09:30:00+08:00`).
 */
export function compareInstants(a: Instant, b: Instant): number {
  return Date.parse(a) - Date.parse(b);
}
