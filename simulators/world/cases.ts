import type { CaseProcedure, ExecutionStatus, LenientHandling } from '../../src/domain/types.ts';
import type { WorldBuilder } from './builder.ts';
import { chinaYear } from './china-time.ts';
import { publishPenalty } from './credit-publicity.ts';
import type { WorldCase, WorldEnterprise, WorldPermit } from './model.ts';
import { type PenaltyExecution, needsLegalReview, planPenalty, recordPenalty } from './penalties.ts';
import { days } from './timeline.ts';

export interface CaseOpening {
  clueId: string | null;
  itemCode: string;
  authorityCode: string;
  filedAt: number;
  procedure: CaseProcedure;
}

const HOUR = 3_600_000;

function lenientHandling(b: WorldBuilder, procedure: CaseProcedure): LenientHandling {
  if (procedure === 'SIMPLE') return 'NONE';
  return b.rng.weighted<LenientHandling>([
    ['NONE', 85],
    ['FIRST_VIOLATION_NO_PENALTY', 5],
    ['MINOR_NO_PENALTY', 4],
    ['LIGHTER_PENALTY', 6],
  ]);
}

/** Status of a case still being worked on at asOf: how far along its path it has come. */
function pendingStatus(b: WorldBuilder, c: WorldCase, decideAt: number): void {
  const progress = (b.asOfMs - c.filedAt) / (decideAt - c.filedAt);
  c.status = c.legalReviewed && progress > 0.7 ? 'LEGAL_REVIEW' : progress > 0.2 ? 'INVESTIGATING' : 'FILED';
  c.updatedAt = Math.min(
    c.filedAt + Math.floor((progress * 0.8 * (decideAt - c.filedAt)) / 1000) * 1000,
    b.asOfMs - 1000,
  );
}

/** Serve, execute and close a decided penalty, as far as asOf allows. */
function execute(b: WorldBuilder, c: WorldCase, simple: boolean): PenaltyExecution {
  const { rng, asOfMs } = b;
  const decidedAt = c.decidedAt!;
  const servedAt = simple ? decidedAt : decidedAt + days(rng.int(1, 5));
  const executedAt = servedAt + (simple ? rng.int(0, 24) * HOUR : days(rng.int(1, 30)));
  if (servedAt >= asOfMs) {
    c.status = 'DECIDED';
    c.updatedAt = decidedAt;
    return { status: 'NOT_EXECUTED', executedAt: null, updatedAt: decidedAt };
  }
  if (executedAt >= asOfMs) {
    c.status = 'SERVED';
    c.updatedAt = servedAt;
    return { status: 'NOT_EXECUTED', executedAt: null, updatedAt: decidedAt };
  }
  const status = rng.weighted<ExecutionStatus>([
    ['EXECUTED', 90],
    ['PARTIALLY_EXECUTED', 3],
    ['COMPULSORY_ENFORCEMENT', 7],
  ]);
  if (status !== 'EXECUTED') {
    c.status = 'SERVED';
    c.updatedAt = executedAt;
    return { status, executedAt: status === 'PARTIALLY_EXECUTED' ? executedAt : null, updatedAt: executedAt };
  }
  const closedAt = executedAt + days(rng.int(1, 20));
  c.status = closedAt < asOfMs ? 'CLOSED' : 'EXECUTED';
  c.closedAt = closedAt < asOfMs ? closedAt : null;
  c.updatedAt = c.closedAt ?? executedAt;
  return { status, executedAt, updatedAt: executedAt };
}

/**
 * Files a case and takes it as far as asOf allows: decision, penalty (and its publicity),
 * service, execution, closing. Lenient cases (首违不罚, 轻微免罚) close without a penalty.
 */
export function openCase(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  permits: readonly WorldPermit[],
  opening: CaseOpening,
): WorldCase {
  const { rng, asOfMs } = b;
  const year = chinaYear(opening.filedAt);
  const simple = opening.procedure === 'SIMPLE';
  const decideAt = simple ? opening.filedAt : opening.filedAt + days(rng.int(10, 90));
  const plan = planPenalty(b, opening.procedure, permits, decideAt);
  const c: WorldCase = {
    caseNo: `瑞综执立〔${year}〕${b.ids.next('LA', year)}号`,
    clueId: opening.clueId,
    subjectUscc: enterprise.uscc,
    subjectName: enterprise.name,
    powerItemCode: opening.itemCode,
    authorityCode: opening.authorityCode,
    townshipCode: enterprise.townshipCode,
    procedure: opening.procedure,
    status: 'FILED',
    lenientHandling: lenientHandling(b, opening.procedure),
    legalReviewed: !simple && needsLegalReview(plan),
    filedAt: opening.filedAt,
    decidedAt: null,
    closedAt: null,
    updatedAt: opening.filedAt,
  };
  b.world.cases.push(c);
  if (!simple && rng.chance(0.03)) {
    const withdrawnAt = opening.filedAt + days(rng.int(10, 60));
    if (withdrawnAt < asOfMs) {
      c.status = 'WITHDRAWN';
      c.closedAt = withdrawnAt;
      c.updatedAt = withdrawnAt;
    } else {
      pendingStatus(b, c, withdrawnAt);
    }
    return c;
  }
  if (decideAt >= asOfMs) {
    pendingStatus(b, c, decideAt);
    return c;
  }
  c.decidedAt = decideAt;
  if (c.lenientHandling === 'FIRST_VIOLATION_NO_PENALTY' || c.lenientHandling === 'MINOR_NO_PENALTY') {
    const closedAt = decideAt + days(rng.int(1, 10));
    c.status = closedAt < asOfMs ? 'CLOSED' : 'DECIDED';
    c.closedAt = closedAt < asOfMs ? closedAt : null;
    c.updatedAt = c.closedAt ?? decideAt;
    return c;
  }
  const penalty = recordPenalty(b, enterprise, c, plan, execute(b, c, simple));
  if (!simple) publishPenalty(b, enterprise, penalty, c);
  return c;
}
