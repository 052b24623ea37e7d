import { DAY_MS, chinaMidnight, startOfDay } from './china-time.ts';
import type { Random } from './random.ts';

/** Loop events (permits, inspections, cases) start with the 2016 reforms. */
export const EVENTS_START = chinaMidnight(2016, 1, 1);
/** Before this date the supervision system still keyed many subjects by legacy number. */
export const LEGACY_ERA_END = chinaMidnight(2019, 1, 1);

/** Midnight of a random day between the days containing `fromMs` and `toMs`, inclusive. */
export function randomDay(rng: Random, fromMs: number, toMs: number): number {
  const first = startOfDay(fromMs);
  const last = startOfDay(toMs);
  if (last <= first) return first;
  return first + rng.int(0, Math.round((last - first) / DAY_MS)) * DAY_MS;
}

/** A time during office hours (08:30–17:30) on the given day, to the second. */
export function officeTime(rng: Random, dayMs: number): number {
  return dayMs + rng.int(8 * 3600 + 1800, 17 * 3600 + 1800) * 1000;
}

/** A whole second in [fromMs, toMs]. */
export function randomInstant(rng: Random, fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return Math.floor(fromMs / 1000) * 1000;
  return Math.floor(fromMs / 1000) * 1000 + rng.int(0, Math.floor((toMs - fromMs) / 1000)) * 1000;
}

export function days(count: number): number {
  return count * DAY_MS;
}
