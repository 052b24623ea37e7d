import { daysInMonth } from './gregorian-calendar.ts';
import type { Instant, LocalDate } from './types.ts';
import { digitsAt } from './written-digits.ts';

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

/** How an agency writes an instant: ISO-8601 with an offset, epoch milliseconds, or China wall time. */
export type InstantSpelling = 'ISO' | 'epochMs' | 'YYYYMMDDHHmmss' | 'YYYY/MM/DD HH:mm:ss';

/** How an agency writes a civil date; `ISO` and `epochMs` are instants whose China date is meant. */
export type DateSpelling = 'ISO' | 'epochMs' | 'YYYYMMDD' | 'YYYY/MM/DD';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const COMPACT_INSTANT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
const SLASHED_INSTANT = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const SLASHED_DATE = /^(\d{4})\/(\d{2})\/(\d{2})$/;

/**
 * The instant an agency wrote, in the domain's one way of writing it; null when what was
 * written is no instant in that spelling. Wall times are China time (no daylight saving), and
 * times that only look right, such as 2023-02-30 10:00:00, are none.
 */
export function readChinaInstant(written: unknown, spelling: InstantSpelling): Instant | null {
  switch (spelling) {
    case 'epochMs':
      return typeof written === 'number' && Number.isFinite(written) ? formatChinaInstant(written) : null;
    case 'ISO': {
      if (typeof written !== 'string') return null;
      if (isWrittenTheDomainsWay(written)) return written;
      if (!ISO_INSTANT.test(written)) return null;
      const epochMs = Date.parse(written);
      return Number.isNaN(epochMs) ? null : formatChinaInstant(epochMs);
    }
    case 'YYYYMMDDHHmmss':
      return wallTime(typeof written === 'string' ? COMPACT_INSTANT.exec(written) : null);
    case 'YYYY/MM/DD HH:mm:ss':
      return wallTime(typeof written === 'string' ? SLASHED_INSTANT.exec(written) : null);
  }
}

/** The China civil date an agency wrote; null when what was written is no date in that spelling. */
export function readChinaDate(written: unknown, spelling: DateSpelling): LocalDate | null {
  switch (spelling) {
    case 'epochMs':
    case 'ISO':
      return readChinaInstant(written, spelling)?.slice(0, 10) ?? null;
    case 'YYYYMMDD':
      return civilDate(typeof written === 'string' ? COMPACT_DATE.exec(written) : null);
    case 'YYYY/MM/DD':
      return civilDate(typeof written === 'string' ? SLASHED_DATE.exec(written) : null);
  }
}

const DOMAIN_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/;

/**
 * Most agencies already write whole seconds at +08:00, and a real moment written so is its own
 * domain spelling: checking the fields spares the Date round trip, a large list's main mapping
 * cost. Anything else (rolled-over days, hour 24, fractions) takes the round trip.
 */
function isWrittenTheDomainsWay(written: string): boolean {
  if (!DOMAIN_INSTANT.test(written)) return false;
  const month = digitsAt(written, 5, 2);
  const day = digitsAt(written, 8, 2);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(digitsAt(written, 0, 4), month) &&
    digitsAt(written, 11, 2) <= 23 &&
    digitsAt(written, 14, 2) <= 59 &&
    digitsAt(written, 17, 2) <= 59
  );
}

function wallTime(match: RegExpExecArray | null): Instant | null {
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  return existing(`${year}-${month}-${day}T${hour}:${minute}:${second}+08:00`);
}

function civilDate(match: RegExpExecArray | null): LocalDate | null {
  if (!match) return null;
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  return existing(`${date}T00:00:00+08:00`) === null ? null : date;
}

/** The instant if it names a real moment written the domain's way: 2023-02-30 rolls over, so it is refused. */
function existing(instant: Instant): Instant | null {
  if (isWrittenTheDomainsWay(instant)) return instant;
  const epochMs = Date.parse(instant);
  return Number.isNaN(epochMs) || formatChinaInstant(epochMs) !== instant ? null : instant;
}
