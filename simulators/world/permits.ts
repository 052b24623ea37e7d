import { APPROVAL_BUREAU } from './authorities.ts';
import type { WorldBuilder } from './builder.ts';
import { DAY_MS, addYears, chinaYear } from './china-time.ts';
import { pad6 } from './id-sequences.ts';
import type { WorldEnterprise, WorldPermit } from './model.ts';
import { PERMIT_ITEMS } from './permit-items.ts';
import { EVENTS_START, days, officeTime, randomDay, randomInstant } from './timeline.ts';

const PERMITS_PER_ENTERPRISE: readonly (readonly [number, number])[] = [
  [0, 15],
  [1, 35],
  [2, 30],
  [3, 15],
  [4, 5],
];
/** Commitment-based permits must be verified on site within about three months. */
const VERIFICATION_WINDOW = days(92);

/** About 1.6 permits per enterprise; a fifth granted on a written commitment (告知承诺制). */
export function generatePermits(b: WorldBuilder, enterprise: WorldEnterprise): WorldPermit[] {
  const { rng, asOfMs } = b;
  const count = rng.weighted(PERMITS_PER_ENTERPRISE);
  const permits: WorldPermit[] = [];
  for (let i = 0; i < count; i++) {
    const item = rng.pick(PERMIT_ITEMS);
    const validFrom = randomDay(rng, Math.max(enterprise.establishedOn, EVENTS_START), asOfMs - DAY_MS);
    const decidedAt = officeTime(rng, validFrom);
    const validUntil = item.validityYears === null ? null : addYears(validFrom, item.validityYears) - DAY_MS;
    const commitmentBased = rng.chance(0.2);
    const year = chinaYear(decidedAt);
    const permit: WorldPermit = {
      permitNo: `浙审330381-${year}-${pad6(b.ids.next('XK', year))}`,
      itemCode: item.code,
      itemName: item.name,
      holderUscc: enterprise.uscc,
      issuerCode: APPROVAL_BUREAU,
      decidedAt,
      validFrom,
      validUntil,
      status: 'VALID',
      commitmentBased,
      verificationDueOn: commitmentBased ? validFrom + VERIFICATION_WINDOW : null,
      updatedAt: decidedAt,
    };
    if (validUntil !== null && validUntil + DAY_MS <= asOfMs) {
      permit.status = 'EXPIRED';
      permit.updatedAt = validUntil + DAY_MS;
    } else if (rng.chance(0.04)) {
      permit.status = 'CANCELLED';
      permit.updatedAt = randomInstant(rng, decidedAt, asOfMs - 1000);
    }
    permits.push(permit);
    b.world.permits.push(permit);
  }
  return permits;
}
