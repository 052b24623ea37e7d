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
