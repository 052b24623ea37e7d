import type { WorkingDayCalendar } from '../../src/domain/working-days.ts';
import { isoInstant } from './china-time.ts';
import type { IdSequences } from './id-sequences.ts';
import type { LoopBreakKind, World, WorldPowerItem } from './model.ts';
import type { Random } from './random.ts';

/**
 * How often each loop break is planted among the records that could carry it; tuned so that
 * scale 1 holds a few dozen of each and larger scales proportionally more.
 */
export const PLANT_RATES: Readonly<Record<LoopBreakKind, number>> = {
  COMMITMENT_NOT_VERIFIED: 0.025,
  VIOLATION_NOT_TRANSFERRED: 0.15,
  CLUE_UNANSWERED: 0.04,
  PENALTY_NOT_PUBLISHED: 0.08,
  PERMIT_VALID_AFTER_REVOCATION: 0.6,
  PUBLICITY_OVERDUE: 0.1,
};

/** What the generation stages share while building one world. */
export interface WorldBuilder {
  rng: Random;
  world: World;
  asOfMs: number;
  ids: IdSequences;
  itemsByDomain: ReadonlyMap<string, readonly WorldPowerItem[]>;
  /** Permits a planted break depends on; later stages must leave them as they are. */
  frozenPermits: Set<string>;
  /** The bundled holiday calendar, the one the gateway measures working-day deadlines by. */
  calendar: WorkingDayCalendar;
}

/**
 * Whether a deadline of `workingDays` working days, counted from the China-time day of `at`, had
 * passed by asOf: due before the world's day, as the gateway's loop rules read it. A break that
 * rests on such a deadline is planted only when this holds, for a calendar-day window is not
 * enough across the long holidays (7 working days from 2026-02-06 end on 2026-02-24).
 */
export function deadlinePassed(b: WorldBuilder, at: number, workingDays: number): boolean {
  return b.calendar.addWorkingDays(isoInstant(at).slice(0, 10), workingDays) < b.world.asOf;
}

export function plant(
  b: WorldBuilder,
  kind: LoopBreakKind,
  subjectUscc: string,
  refs: Record<string, string>,
): boolean {
  if (!b.rng.chance(PLANT_RATES[kind])) return false;
  b.world.manifest.push({ kind, subjectUscc, refs });
  return true;
}
