/**
 * Times in the simulated world are epoch milliseconds, whole seconds; dates are the epoch
 * milliseconds of midnight China Standard Time. Each agency renders them its own way.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** Midnight (China time) of the civil date `YYYY-MM-DD`. */
export function parseChinaDate(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new Error(`expected a date YYYY-MM-DD, got '${date}'`);
  return chinaMidnight(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function chinaMidnight(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) - CHINA_OFFSET_MS;
}

/** Midnight of the China-time day containing `ms`. */
export function startOfDay(ms: number): number {
  return Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
}

export function chinaYear(ms: number): number {
  return new Date(ms + CHINA_OFFSET_MS).getUTCFullYear();
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}

interface Fields {
  y: string;
  mo: string;
  d: string;
  h: string;
  mi: string;
  s: string;
}

function fields(ms: number): Fields {
  const t = new Date(ms + CHINA_OFFSET_MS);
  return {
    y: pad(t.getUTCFullYear(), 4),
    mo: pad(t.getUTCMonth() + 1),
    d: pad(t.getUTCDate()),
    h: pad(t.getUTCHours()),
    mi: pad(t.getUTCMinutes()),
    s: pad(t.getUTCSeconds()),
  };
}

/** `2023-05-12T09:30:00+08:00` (approval platform). */
export function isoInstant(ms: number): string {
  const f = fields(ms);
  return `${f.y}-${f.mo}-${f.d}T${f.h}:${f.mi}:${f.s}+08:00`;
}

/** `20230512` (supervision system). */
export function compactDate(ms: number): string {
  const f = fields(ms);
  return `${f.y}${f.mo}${f.d}`;
}

/** `20230512103000` (supervision system). */
export function compactStamp(ms: number): string {
  const f = fields(ms);
  return `${f.y}${f.mo}${f.d}${f.h}${f.mi}${f.s}`;
}

/** `2023/05/12` (credit platform). */
export function slashDate(ms: number): string {
  const f = fields(ms);
  return `${f.y}/${f.mo}/${f.d}`;
}

/** `2023/05/12 10:30:00` (credit platform). */
export function slashStamp(ms: number): string {
  const f = fields(ms);
  return `${f.y}/${f.mo}/${f.d} ${f.h}:${f.mi}:${f.s}`;
}

/** The same civil date `years` later (29 February falls to 1 March). */
export function addYears(dayMs: number, years: number): number {
  const t = new Date(dayMs + CHINA_OFFSET_MS);
  return Date.UTC(t.getUTCFullYear() + years, t.getUTCMonth(), t.getUTCDate()) - CHINA_OFFSET_MS;
}
