import type { CaseProcedure } from '../../src/domain/types.ts';
import { DOMAIN_DEPARTMENT, DOMAIN_WEIGHTS, type SupervisionDomain, departmentDomain } from './authorities.ts';
import { deadlinePassed, plant, type WorldBuilder } from './builder.ts';
import { openCase } from './cases.ts';
import { chinaYear } from './china-time.ts';
import { pad6 } from './id-sequences.ts';
import type { ClueSourceKind, ClueState, WorldClue, WorldEnterprise, WorldInspection, WorldPermit } from './model.ts';
import { mobilePhone, personName } from './people.ts';
import { powerHolder } from './power-items.ts';
import { EVENTS_START, days, randomInstant } from './timeline.ts';

interface ClueOrigin {
  source: ClueSourceKind;
  inspectionId: string | null;
  domain: SupervisionDomain;
  senderCode: string;
  receivedAt: number;
}

const ANSWERS: readonly (readonly [ClueState, number])[] = [
  ['CASE_FILED', 75],
  ['NOT_FILED', 12],
  ['RETURNED', 6],
  ['ACCEPTED', 7],
];
/** The answer is due within 5 working days (the extension is not modelled). */
const ANSWER_WORKING_DAYS = 5;
/**
 * Clues older than this are planted unanswered only once their 5 working days have passed too:
 * across National Day 5 working days can take fifteen calendar days (2026-09-23 → 10-08).
 */
const ANSWER_WINDOW = days(14);
/** Five calendar days never hold more than 5 working days: a clue this recent is surely not yet overdue. */
const SURELY_IN_TIME = days(5);

/**
 * A clue is routed to whoever holds the item's power in the subject's township on the day it
 * arrives. Clues older than the answer window are always answered unless a CLUE_UNANSWERED
 * break is planted; about half of those from the last five days are still waiting.
 */
function receiveClue(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  permits: readonly WorldPermit[],
  origin: ClueOrigin,
): void {
  const { rng, asOfMs } = b;
  const item = rng.pick(b.itemsByDomain.get(origin.domain)!);
  const year = chinaYear(origin.receivedAt);
  const complaint = origin.source === 'COMPLAINT';
  const clue: WorldClue = {
    id: `XS${year}${pad6(b.ids.next('XS', year))}`,
    source: origin.source,
    inspectionId: origin.inspectionId,
    subjectUscc: enterprise.uscc,
    powerItemCode: item.code,
    senderCode: origin.senderCode,
    receiverCode: powerHolder(item, enterprise.townshipCode, origin.receivedAt),
    townshipCode: enterprise.townshipCode,
    receivedAt: origin.receivedAt,
    respondedAt: null,
    status: 'RECEIVED',
    caseNo: null,
    informantName: complaint ? personName(rng) : null,
    informantPhone: complaint ? mobilePhone(rng) : null,
    updatedAt: origin.receivedAt,
  };
  b.world.clues.push(clue);
  const overdue =
    origin.receivedAt < asOfMs - ANSWER_WINDOW && deadlinePassed(b, origin.receivedAt, ANSWER_WORKING_DAYS);
  if (overdue && plant(b, 'CLUE_UNANSWERED', enterprise.uscc, { clueId: clue.id })) return;
  if (!overdue && rng.chance(0.5)) {
    if (origin.receivedAt >= asOfMs - SURELY_IN_TIME) return;
    // Waiting longer could be overdue under the working-day rule: accepted the next day instead,
    // drawing nothing from rng so the rest of the world stays as it was.
    clue.respondedAt = Math.min(origin.receivedAt + 86_400_000, asOfMs - 1000);
    clue.updatedAt = clue.respondedAt;
    clue.status = 'ACCEPTED';
    return;
  }
  const respondedAt = Math.min(origin.receivedAt + rng.int(3600, 7 * 86_400) * 1000, asOfMs - 1000);
  clue.respondedAt = respondedAt;
  clue.updatedAt = respondedAt;
  clue.status = rng.weighted(ANSWERS);
  if (clue.status !== 'CASE_FILED') return;
  const procedure = rng.weighted<CaseProcedure>([
    ['GENERAL', 85],
    ['SIMPLE', 15],
  ]);
  const c = openCase(b, enterprise, permits, {
    clueId: clue.id,
    itemCode: item.code,
    authorityCode: clue.receiverCode,
    filedAt: respondedAt,
    procedure,
  });
  clue.caseNo = c.caseNo;
}

/**
 * Every violation found on inspection is transferred as a clue (unless a
 * VIOLATION_NOT_TRANSFERRED break is planted); complaints and department transfers add more.
 */
export function generateClues(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  permits: readonly WorldPermit[],
  inspections: readonly WorldInspection[],
): void {
  const { rng, asOfMs } = b;
  for (const inspection of inspections) {
    if (inspection.outcome !== 'VIOLATION_FOUND' || inspection.status === 'PLANNED') continue;
    if (plant(b, 'VIOLATION_NOT_TRANSFERRED', enterprise.uscc, { inspectionId: inspection.id })) continue;
    receiveClue(b, enterprise, permits, {
      source: 'INSPECTION',
      inspectionId: inspection.id,
      domain: departmentDomain(inspection.leadAuthorityCode),
      senderCode: inspection.leadAuthorityCode,
      receivedAt: Math.min(inspection.updatedAt + rng.int(0, 3 * 86_400) * 1000, asOfMs - 1000),
    });
  }
  const from = Math.max(enterprise.establishedOn, EVENTS_START);
  const others = (rng.chance(0.1) ? 1 : 0) + (rng.chance(0.02) ? 1 : 0);
  for (let i = 0; i < others; i++) {
    const domain = rng.weighted(DOMAIN_WEIGHTS);
    receiveClue(b, enterprise, permits, {
      source: rng.chance(0.85) ? 'COMPLAINT' : 'DEPARTMENT_TRANSFER',
      inspectionId: null,
      domain,
      senderCode: DOMAIN_DEPARTMENT[domain],
      receivedAt: randomInstant(rng, from, asOfMs - 1000),
    });
  }
}

/** Simple-procedure cases decided on the spot (当场处罚), with no clue before them. */
export function generateOnTheSpotCases(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  permits: readonly WorldPermit[],
): void {
  const { rng, asOfMs } = b;
  if (!rng.chance(0.05)) return;
  const domain = rng.weighted<SupervisionDomain>([
    ['城市管理', 60],
    ['市场监管', 40],
  ]);
  const item = rng.pick(b.itemsByDomain.get(domain)!);
  const filedAt = randomInstant(rng, Math.max(enterprise.establishedOn, EVENTS_START), asOfMs - 1000);
  openCase(b, enterprise, permits, {
    clueId: null,
    itemCode: item.code,
    authorityCode: powerHolder(item, enterprise.townshipCode, filedAt),
    filedAt,
    procedure: 'SIMPLE',
  });
}
