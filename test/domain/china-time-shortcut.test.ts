import { describe, expect, it } from 'vitest';
import {
  type DateSpelling,
  type InstantSpelling,
  readChinaDate,
  readChinaInstant,
} from '../../src/domain/china-time.ts';
import { DateScalar } from '../../src/scalars/time-scalars.ts';

/**
 * Reading an instant already written the domain's way skips the Date round trip, and the Date
 * scalar counts days instead of building a Date. Both must answer exactly as the round trips
 * they replaced, which are kept here as the reference.
 */
const CHINA_OFFSET_MS = 8 * 3_600_000;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function formatByRoundTrip(epochMs: number): string {
  const shifted = new Date(epochMs + CHINA_OFFSET_MS).toISOString();
  const millis = shifted.slice(19, 23);
  return `${shifted.slice(0, 19)}${millis === '.000' ? '' : millis}+08:00`;
}

function readIsoByRoundTrip(written: unknown): string | null {
  if (typeof written !== 'string' || !ISO_INSTANT.test(written)) return null;
  const epochMs = Date.parse(written);
  return Number.isNaN(epochMs) ? null : formatByRoundTrip(epochMs);
}

function existingByRoundTrip(instant: string): string | null {
  const epochMs = Date.parse(instant);
  return Number.isNaN(epochMs) || formatByRoundTrip(epochMs) !== instant ? null : instant;
}

function isDateByRoundTrip(value: string): boolean {
  const match = DATE.exec(value);
  return (
    match !== null &&
    new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).toISOString().startsWith(value)
  );
}

/** A small seeded generator, so a failure names the same values on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Fields chosen to hit the edges: month 0 and 13, day 0 and 32, hour 24, second 60, years before 100. */
function writtenInstants(count: number): string[] {
  const next = random(12);
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)]!;
  const written: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const year = pick([0, 1, 99, 100, 1899, 1900, 1970, 2000, 2023, 2024, 2100, 9999]);
    const month = Math.floor(next() * 14);
    const day = Math.floor(next() * 33);
    const hour = Math.floor(next() * 25);
    const minute = pick([0, 30, 59, 60]);
    const second = pick([0, 1, 59, 60]);
    const offset = pick([0, 1, 2, 3]);
    const zone = ['+08:00', 'Z', '-05:00', '+08:00'][offset]!;
    const fraction = offset === 3 ? pick(['.000', '.5', '.123', '.1234']) : '';
    written.push(
      `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${zone}`,
    );
  }
  return written;
}

describe('reading an instant without the Date round trip', () => {
  const written = [
    ...writtenInstants(20_000),
    ...Array.from({ length: 2_000 }, (_, i) => formatByRoundTrip(i * 7_919_993_117 - 4e12)),
  ];

  it('reads every ISO instant exactly as the round trip did, rolled-over days and hour 24 included', () => {
    const differing = written.filter((value) => readChinaInstant(value, 'ISO') !== readIsoByRoundTrip(value));
    expect(differing).toEqual([]);
  });

  it('reads every ISO date exactly as the round trip did', () => {
    const differing = written.filter(
      (value) => readChinaDate(value, 'ISO') !== (readIsoByRoundTrip(value)?.slice(0, 10) ?? null),
    );
    expect(differing).toEqual([]);
  });

  it.each<[InstantSpelling, (value: string) => string]>([
    ['YYYYMMDDHHmmss', (value) => value.slice(0, 19).replace(/[-T:]/g, '')],
    ['YYYY/MM/DD HH:mm:ss', (value) => value.slice(0, 19).replace(/-/g, '/').replace('T', ' ')],
  ])('reads China wall times written %s exactly as the round trip did', (spelling, spell) => {
    const differing = written.filter((value) => {
      const wall = `${value.slice(0, 19)}+08:00`;
      return readChinaInstant(spell(value), spelling) !== existingByRoundTrip(wall);
    });
    expect(differing).toEqual([]);
  });

  it.each<[DateSpelling, (value: string) => string]>([
    ['YYYYMMDD', (value) => value.slice(0, 10).replace(/-/g, '')],
    ['YYYY/MM/DD', (value) => value.slice(0, 10).replace(/-/g, '/')],
  ])('reads dates written %s exactly as the round trip did', (spelling, spell) => {
    const differing = written.filter((value) => {
      const date = value.slice(0, 10);
      const expected = existingByRoundTrip(`${date}T00:00:00+08:00`) === null ? null : date;
      return readChinaDate(spell(value), spelling) !== expected;
    });
    expect(differing).toEqual([]);
  });
});

describe('the Date scalar without a Date', () => {
  it('accepts exactly the dates the round trip accepted, years before 100 still refused', () => {
    const dates: string[] = [];
    for (const year of [0, 1, 4, 99, 100, 400, 1600, 1899, 1900, 2000, 2023, 2024, 2100, 9996, 9999]) {
      for (let month = 0; month <= 13; month += 1) {
        for (let day = 0; day <= 32; day += 1) dates.push(`${pad(year, 4)}-${pad(month)}-${pad(day)}`);
      }
    }
    const accepts = (value: string) => {
      try {
        return DateScalar.serialize(value) === value;
      } catch {
        return false;
      }
    };
    expect(dates.filter((value) => accepts(value) !== isDateByRoundTrip(value))).toEqual([]);
  });
});
