import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import { AUTHORITIES } from './authorities.ts';
import type { WorldBuilder } from './builder.ts';
import { parseChinaDate } from './china-time.ts';
import { generateClues, generateOnTheSpotCases } from './clues.ts';
import { generateCreditProfile, recordCommitment } from './credit-profiles.ts';
import { drawCodeOffsets, generateEnterprise } from './enterprises.ts';
import { IdSequences } from './id-sequences.ts';
import { generateInspections } from './inspections.ts';
import type { World, WorldPowerItem } from './model.ts';
import { generatePermits } from './permits.ts';
import { jurisdictions } from './places.ts';
import { generatePowerItems } from './power-items.ts';
import { Random } from './random.ts';

export interface WorldOptions {
  seed?: number;
  /** 1 ≈ 5,000 enterprises; 100 ≈ 500,000. */
  scale?: number;
  /** `YYYY-MM-DD`: the world is seen from midnight (China time) of this day. */
  asOf?: string;
}

export const ENTERPRISES_PER_SCALE = 5000;

function groupByDomain(items: readonly WorldPowerItem[]): Map<string, WorldPowerItem[]> {
  const groups = new Map<string, WorldPowerItem[]>();
  for (const item of items) {
    const group = groups.get(item.domain) ?? [];
    group.push(item);
    groups.set(item.domain, group);
  }
  return groups;
}

/**
 * Builds the neutral world all four simulators render. Deterministic: the same options give
 * byte-identical records. Each enterprise's whole story (permits → inspections → clues →
 * cases → penalties → credit) is generated in one go, so every date follows the one before.
 */
export function generateWorld(options: WorldOptions = {}): World {
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  const asOf = options.asOf ?? '2026-11-01';
  // Random takes the seed modulo 2^32: a seed outside it would silently plant another seed's world.
  if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) {
    throw new RangeError(`world seed ${seed} must be a whole number from 0 to 4294967295`);
  }
  if (!(scale > 0) || !Number.isFinite(scale)) {
    throw new RangeError(`world scale ${scale} must be a number above 0`);
  }
  const asOfMs = parseChinaDate(asOf);
  const powerItems = generatePowerItems(new Random(seed ^ 0x5eed));
  const world: World = {
    seed,
    scale,
    asOf,
    asOfMs,
    jurisdictions: jurisdictions(),
    authorities: [...AUTHORITIES],
    powerItems,
    enterprises: [],
    permits: [],
    inspections: [],
    clues: [],
    cases: [],
    penalties: [],
    creditProfiles: [],
    creditRecords: [],
    manifest: [],
  };
  const b: WorldBuilder = {
    rng: new Random(seed),
    world,
    asOfMs,
    ids: new IdSequences(),
    itemsByDomain: groupByDomain(powerItems),
    frozenPermits: new Set(),
    calendar: loadWorkingDayCalendar(),
  };
  const offsets = drawCodeOffsets(b);
  const count = Math.round(ENTERPRISES_PER_SCALE * scale);
  for (let index = 0; index < count; index++) {
    const enterprise = generateEnterprise(b, index, offsets);
    world.enterprises.push(enterprise);
    const permits = generatePermits(b, enterprise);
    const supervision = generateInspections(b, enterprise, permits);
    generateClues(b, enterprise, permits, supervision.inspections);
    generateOnTheSpotCases(b, enterprise, permits);
    for (const permit of permits) {
      const fulfilment = supervision.fulfilment.get(permit.permitNo);
      if (!fulfilment) continue;
      const check = supervision.inspections.find(
        (i) => i.kind === 'COMMITMENT_VERIFICATION' && i.permitNo === permit.permitNo,
      );
      recordCommitment(b, permit, fulfilment, check?.updatedAt ?? null);
    }
    generateCreditProfile(b, enterprise);
  }
  return world;
}
