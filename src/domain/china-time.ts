import type { Instant, LocalDate } from './types.ts';

/** Midnight China time of a civil date, for placing date-only events on a timeline. */
export function startOfChinaDay(date: LocalDate): Instant {
  return `${date}T00:00:00+08:00`;
}

/** China Standard Time has a fixed offset: no daylight saving since 1991. */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The domain's one way of writing an instant: `2023-05-12T09:30:00+08:00`, milliseconds only when not zero. */
export function formatChinaInstant(epochMs: number): Instant {
  const shifted = new Date(epochMs + CHINA_OFFSET_MS).toISOString();
  const millis = shifted.slice(19, 23);
  return `${shifted.slice(0, 19)}${millis === '.000' ? '' : millis}+08:00`;
}

/** Today's civil date in China Standard Time. */
export function chinaToday(now: Date = new Date()): LocalDate {
  return formatChinaInstant(now.getTime()).slice(0, 10);
}

/**
 * Orders instants by the moment they name. Their text does not sort: a fractional second
 * (`09:30:00.500+08:00`) collates before a whole one (`09:30:00+08:00`).
 */
export function compareInstants(a: Instant, b: Instant): number {
  return Date.parse(a) - Date.parse(b);
}
