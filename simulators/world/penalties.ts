import type { ExecutionStatus, PenaltyKind } from '../../src/domain/types.ts';
import { plant, type WorldBuilder } from './builder.ts';
import { chinaYear } from './china-time.ts';
import type { WorldCase, WorldEnterprise, WorldPenalty, WorldPermit } from './model.ts';

export interface PenaltyPlan {
  kinds: readonly PenaltyKind[];
  fineFen: number;
  confiscatedFen: number;
  permit: WorldPermit | null;
}

type GeneralShape = 'FINE' | 'WARNING_FINE' | 'CONFISCATION' | 'SUSPENSION' | 'REVOCATION' | 'BUSINESS';
const GENERAL_SHAPES: readonly (readonly [GeneralShape, number])[] = [
  ['FINE', 60],
  ['WARNING_FINE', 13],
  ['CONFISCATION', 6],
  ['SUSPENSION', 6],
  ['REVOCATION', 18],
  ['BUSINESS', 5],
];

/** Yuan in steps of 50, as fen: the credit platform's 万元 then has at most three decimals. */
function yuanInFen(b: WorldBuilder, minYuan: number, maxYuan: number): number {
  return b.rng.int(minYuan / 50, maxYuan / 50) * 5000;
}

function generalFine(b: WorldBuilder): number {
  const band = b.rng.weighted<readonly [number, number]>([
    [[1000, 10_000], 60],
    [[10_000, 50_000], 30],
    [[50_000, 200_000], 10],
  ]);
  return yuanInFen(b, band[0], band[1]);
}

function permitToAct(b: WorldBuilder, permits: readonly WorldPermit[], decidedAt: number): WorldPermit | null {
  const candidates = permits.filter(
    (p) => p.status === 'VALID' && p.decidedAt < decidedAt && !b.frozenPermits.has(p.permitNo),
  );
  return candidates.length > 0 ? b.rng.pick(candidates) : null;
}

/** Simple procedure: a warning or a fine of at most 3,000 yuan on the spot. */
export function planPenalty(
  b: WorldBuilder,
  procedure: WorldCase['procedure'],
  permits: readonly WorldPermit[],
  decidedAt: number,
): PenaltyPlan {
  if (procedure === 'SIMPLE') {
    return b.rng.chance(0.4)
      ? { kinds: ['WARNING'], fineFen: 0, confiscatedFen: 0, permit: null }
      : { kinds: ['FINE'], fineFen: yuanInFen(b, 50, 3000), confiscatedFen: 0, permit: null };
  }
  const shape = b.rng.weighted(GENERAL_SHAPES);
  const fineFen = generalFine(b);
  if (shape === 'SUSPENSION' || shape === 'REVOCATION') {
    const permit = permitToAct(b, permits, decidedAt);
    if (permit) {
      const kind: PenaltyKind = shape === 'SUSPENSION' ? 'PERMIT_SUSPENSION' : 'PERMIT_REVOCATION';
      return { kinds: ['FINE', kind], fineFen, confiscatedFen: 0, permit };
    }
  }
  if (shape === 'WARNING_FINE') return { kinds: ['WARNING', 'FINE'], fineFen, confiscatedFen: 0, permit: null };
  if (shape === 'CONFISCATION') {
    return { kinds: ['FINE', 'CONFISCATION'], fineFen, confiscatedFen: yuanInFen(b, 500, 20_000), permit: null };
  }
  if (shape === 'BUSINESS') return { kinds: ['BUSINESS_SUSPENSION'], fineFen: 0, confiscatedFen: 0, permit: null };
  return { kinds: ['FINE'], fineFen, confiscatedFen: 0, permit: null };
}

/** Major decisions need legal review (法制审核) before they are taken. */
export function needsLegalReview(plan: PenaltyPlan): boolean {
  return plan.fineFen >= 5_000_000 || plan.permit !== null || plan.kinds.includes('BUSINESS_SUSPENSION');
}

export interface PenaltyExecution {
  status: ExecutionStatus;
  executedAt: number | null;
  updatedAt: number;
}

/**
 * Records the decision and applies it to the permit it names: revoked permits become status 3
 * and suspended ones 2 — unless a PERMIT_VALID_AFTER_REVOCATION break is planted.
 */
export function recordPenalty(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  caseRecord: WorldCase,
  plan: PenaltyPlan,
  execution: PenaltyExecution,
): WorldPenalty {
  const decidedAt = caseRecord.decidedAt!;
  const year = chinaYear(decidedAt);
  const general = caseRecord.procedure === 'GENERAL';
  const sequence = b.ids.next(general ? 'CF' : 'JY', year);
  const penalty: WorldPenalty = {
    decisionNo: general ? `瑞综执罚决字〔${year}〕第${sequence}号` : `瑞综执简罚字〔${year}〕第${sequence}号`,
    caseNo: caseRecord.caseNo,
    subjectUscc: enterprise.uscc,
    kinds: plan.kinds,
    fineFen: plan.fineFen,
    confiscatedFen: plan.confiscatedFen,
    affectedPermitNo: plan.permit?.permitNo ?? null,
    decidedAt,
    executionStatus: execution.status,
    executedAt: execution.executedAt,
    updatedAt: execution.updatedAt,
  };
  b.world.penalties.push(penalty);
  const permit = plan.permit;
  if (permit) {
    const revocation = plan.kinds.includes('PERMIT_REVOCATION');
    const refs = { decisionNo: penalty.decisionNo, permitNo: permit.permitNo };
    if (revocation && plant(b, 'PERMIT_VALID_AFTER_REVOCATION', enterprise.uscc, refs)) {
      b.frozenPermits.add(permit.permitNo);
    } else {
      permit.status = revocation ? 'REVOKED' : 'SUSPENDED';
      const changedAt = Math.min(decidedAt + b.rng.int(1, 3) * 86_400_000, b.asOfMs - 1000);
      permit.updatedAt = Math.max(permit.updatedAt, changedAt);
    }
  }
  return penalty;
}
