import { authorityName } from './authorities.ts';
import { deadlinePassed, plant, type WorldBuilder } from './builder.ts';
import { DAY_MS, addYears, startOfDay } from './china-time.ts';
import { creditRecordId } from './credit-ids.ts';
import type { WorldCase, WorldCreditRecord, WorldEnterprise, WorldPenalty } from './model.ts';
import { days, officeTime, randomInstant } from './timeline.ts';

/**
 * A general-procedure penalty must reach the credit platform within 7 working days. One is planted
 * unpublished only when it was decided more than this long before asOf and those working days
 * have passed (across Spring Festival they take up to eighteen calendar days).
 */
const PUBLICATION_GRACE = days(10);
const PUBLICATION_WORKING_DAYS = 7;

/**
 * Publishes a general-procedure penalty (行政处罚信息公示) within 7 days of the decision,
 * for one year (warnings and small fines) or three. Expired publicity is taken down
 * (已撤下) — unless a PUBLICITY_OVERDUE break is planted; a PENALTY_NOT_PUBLISHED break
 * leaves the penalty unpublished.
 */
export function publishPenalty(
  b: WorldBuilder,
  enterprise: WorldEnterprise,
  penalty: WorldPenalty,
  c: WorldCase,
): void {
  const { rng, asOfMs } = b;
  const decidedAt = penalty.decidedAt;
  if (decidedAt < asOfMs - PUBLICATION_GRACE && deadlinePassed(b, decidedAt, PUBLICATION_WORKING_DAYS)) {
    const refs = { decisionNo: penalty.decisionNo, caseNo: penalty.caseNo };
    if (plant(b, 'PENALTY_NOT_PUBLISHED', enterprise.uscc, refs)) return;
  }
  const decisionDay = startOfDay(decidedAt);
  const roomDays = Math.floor((asOfMs - 1000 - decisionDay) / DAY_MS);
  const publishedOn = decisionDay + days(rng.int(0, Math.min(7, roomDays)));
  const publishedAt = Math.min(Math.max(officeTime(rng, publishedOn), decidedAt + 60_000), asOfMs - 1000);
  const small = penalty.fineFen < 1_000_000 && !penalty.kinds.includes('PERMIT_REVOCATION');
  const publicityEndsOn = addYears(publishedOn, small ? 1 : 3);
  const record: WorldCreditRecord = {
    id: creditRecordId(b, publishedOn),
    kind: 'PENALTY_PUBLICITY',
    subjectUscc: enterprise.uscc,
    decisionNo: penalty.decisionNo,
    fineFen: penalty.fineFen,
    authorityName: authorityName(c.authorityCode),
    publishedOn,
    publicityEndsOn,
    status: 'PUBLISHED',
    commitment: null,
    updatedAt: publishedAt,
  };
  b.world.creditRecords.push(record);
  if (publicityEndsOn < asOfMs) {
    const refs = { recordId: record.id, decisionNo: penalty.decisionNo };
    if (!plant(b, 'PUBLICITY_OVERDUE', enterprise.uscc, refs)) {
      record.status = 'WITHDRAWN';
      record.updatedAt = officeTime(rng, publicityEndsOn);
    }
    return;
  }
  const repairFrom = publishedOn + days(90);
  if (repairFrom < asOfMs - DAY_MS && rng.chance(0.04)) {
    record.status = 'REPAIRED';
    record.updatedAt = randomInstant(rng, repairFrom, asOfMs - 1000);
  }
}
