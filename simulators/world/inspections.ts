import type { CommitmentFulfilment, InspectionKind, InspectionOutcome } from '../../src/domain/types.ts';
import { DOMAIN_WEIGHTS, type SupervisionDomain } from './authorities.ts';
import { plant, type WorldBuilder } from './builder.ts';
import { DAY_MS } from './china-time.ts';
import { type InspectionPlan, recordInspection } from './inspection-record.ts';
import type { WorldEnterprise, WorldInspection, WorldPermit } from './model.ts';
import { PERMIT_ITEM_BY_CODE } from './permit-items.ts';
import { EVENTS_START, days, randomDay } from './timeline.ts';

const INSPECTIONS_PER_ENTERPRISE: readonly (readonly [number, number])[] = [
  [0, 40],
  [1, 35],
  [2, 17],
  [3, 8],
];
const KINDS: readonly (readonly [InspectionKind, number])[] = [
  ['RANDOM', 45],
  ['KEY', 15],
  ['CREDIT_GRADED', 12],
  ['COMPLAINT', 15],
  ['JOINT', 13],
];
/** About 15% of inspections find something; a quarter of those a violation. */
const OUTCOMES: readonly (readonly [InspectionOutcome, number])[] = [
  ['NO_PROBLEM', 85],
  ['PROBLEM_FOUND', 5],
  ['RECTIFICATION_ORDERED', 6],
  ['VIOLATION_FOUND', 4],
];
const VERIFICATION_OUTCOMES: readonly (readonly [InspectionOutcome, number])[] = [
  ['NO_PROBLEM', 88],
  ['PROBLEM_FOUND', 5],
  ['RECTIFICATION_ORDERED', 4],
  ['VIOLATION_FOUND', 3],
];

interface Verification {
  inspection: WorldInspection | null;
  fulfilment: CommitmentFulfilment;
}

const PENDING: Verification = { inspection: null, fulfilment: 'PENDING_VERIFICATION' };

function permitDomain(permit: WorldPermit): SupervisionDomain {
  return PERMIT_ITEM_BY_CODE.get(permit.itemCode)!.domain;
}

/**
 * The on-site check (承诺核查) of a commitment-based permit. Once the deadline has passed a
 * check before it always exists, unless a COMMITMENT_NOT_VERIFIED break is planted.
 */
function verifyCommitment(b: WorldBuilder, enterprise: WorldEnterprise, permit: WorldPermit): Verification {
  const { rng, asOfMs } = b;
  const due = permit.verificationDueOn!;
  const earliest = permit.validFrom + days(7);
  if (due < asOfMs) {
    if (plant(b, 'COMMITMENT_NOT_VERIFIED', enterprise.uscc, { permitNo: permit.permitNo })) {
      return PENDING;
    }
  } else if (earliest > asOfMs - DAY_MS || rng.chance(0.5)) {
    return PENDING;
  }
  const plan: InspectionPlan = {
    kind: 'COMMITMENT_VERIFICATION',
    domain: permitDomain(permit),
    permitNo: permit.permitNo,
    day: randomDay(rng, earliest, Math.min(due, asOfMs - DAY_MS)),
    outcome: rng.weighted(VERIFICATION_OUTCOMES),
    planned: false,
  };
  const inspection = recordInspection(b, enterprise, plan);
  return { inspection, fulfilment: inspection.outcome === 'VIOLATION_FOUND' ? 'BREACHED' : 'FULFILLED' };
}

function routinePlan(b: WorldBuilder, enterprise: WorldEnterprise, permits: readonly WorldPermit[]): InspectionPlan {
  const { rng, asOfMs } = b;
  const kind = rng.weighted(KINDS);
  const permit = permits.length > 0 && rng.chance(0.5) ? rng.pick(permits) : null;
  const planned = rng.chance(0.02);
  const from = permit ? permit.validFrom : Math.max(enterprise.establishedOn, EVENTS_START);
  return {
    kind,
    domain: permit ? permitDomain(permit) : rng.weighted(DOMAIN_WEIGHTS),
    permitNo: permit?.permitNo ?? null,
    day: planned ? asOfMs + days(rng.int(1, 30)) : randomDay(rng, from, asOfMs - DAY_MS),
    outcome: rng.weighted(OUTCOMES),
    planned,
  };
}

export interface SupervisionHistory {
  inspections: WorldInspection[];
  fulfilment: Map<string, CommitmentFulfilment>;
}

/** About 1.2 inspections per enterprise, commitment checks included. */
export function generateInspections(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  permits: readonly WorldPermit[],
): SupervisionHistory {
  const history: SupervisionHistory = { inspections: [], fulfilment: new Map() };
  for (const permit of permits) {
    if (!permit.commitmentBased) continue;
    const verification = verifyCommitment(b, enterprise, permit);
    history.fulfilment.set(permit.permitNo, verification.fulfilment);
    if (verification.inspection) history.inspections.push(verification.inspection);
  }
  const count = b.rng.weighted(INSPECTIONS_PER_ENTERPRISE);
  for (let i = 0; i < count; i++) {
    history.inspections.push(recordInspection(b, enterprise, routinePlan(b, enterprise, permits)));
  }
  return history;
}
