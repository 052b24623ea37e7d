import type { CommitmentFulfilment, CreditGrade } from '../../src/domain/types.ts';
import { authorityName, APPROVAL_BUREAU, CREDIT_CENTRE } from './authorities.ts';
import type { WorldBuilder } from './builder.ts';
import { addYears } from './china-time.ts';
import { creditRecordId } from './credit-ids.ts';
import type { WorldCreditProfile, WorldCreditRecord, WorldEnterprise, WorldPermit } from './model.ts';
import { days, officeTime, randomDay } from './timeline.ts';

const GRADES: readonly (readonly [CreditGrade, number])[] = [
  ['A', 30],
  ['B', 55],
  ['C', 12],
  ['D', 2.5],
];
const DISHONESTY_REASONS = [
  '拒不履行行政处罚决定',
  '发生重大安全生产责任事故',
  '严重破坏生态环境',
  '提供虚假材料骗取行政许可',
];

function record(b: WorldBuilder, fields: Omit<WorldCreditRecord, 'id'>): void {
  b.world.creditRecords.push({ id: creditRecordId(b, fields.publishedOn), ...fields });
}

/** The credit commitment (信用承诺) behind a commitment-based permit, with its fulfilment. */
export function recordCommitment(
  b: WorldBuilder,
  permit: WorldPermit,
  fulfilment: CommitmentFulfilment,
  verifiedAt: number | null,
): void {
  record(b, {
    kind: 'COMMITMENT',
    subjectUscc: permit.holderUscc,
    decisionNo: null,
    fineFen: null,
    authorityName: authorityName(APPROVAL_BUREAU),
    publishedOn: permit.validFrom,
    publicityEndsOn: null,
    status: 'PUBLISHED',
    commitment: {
      type: '告知承诺',
      content: `申请人承诺已符合${permit.itemName}的全部条件，并接受事后核查`,
      fulfilment,
      permitNo: permit.permitNo,
    },
    updatedAt: verifiedAt ?? permit.decidedAt,
  });
}

/**
 * Every enterprise has a credit profile: grade A 30% / B 55% / C 12% / D 3%, about 0.5% on
 * the serious-dishonesty list (always D) and a few removed from it after repair.
 */
export function generateCreditProfile(b: WorldBuilder, enterprise: WorldEnterprise): WorldCreditProfile {
  const { rng, asOfMs } = b;
  const gradedOn = randomDay(rng, asOfMs - days(365), asOfMs - days(1));
  const profile: WorldCreditProfile = {
    uscc: enterprise.uscc,
    name: enterprise.name,
    grade: rng.weighted(GRADES),
    gradedOn,
    dishonestyStatus: 'NOT_LISTED',
    listedOn: null,
    listedReason: null,
    updatedAt: officeTime(rng, gradedOn),
  };
  const roll = rng.next();
  if (roll < 0.005) {
    const listedOn = randomDay(rng, asOfMs - days(700), asOfMs - days(1));
    profile.grade = 'D';
    profile.dishonestyStatus = 'LISTED';
    profile.listedOn = listedOn;
    profile.listedReason = rng.pick(DISHONESTY_REASONS);
    profile.updatedAt = Math.max(profile.updatedAt, officeTime(rng, listedOn));
    record(b, dishonesty(enterprise, listedOn, addYears(listedOn, 3), 'PUBLISHED', officeTime(rng, listedOn)));
  } else if (roll < 0.007) {
    const listedOn = randomDay(rng, asOfMs - days(2000), asOfMs - days(1200));
    const removedOn = listedOn + days(rng.int(365, 700));
    profile.grade = 'C';
    profile.dishonestyStatus = 'REMOVED';
    profile.listedOn = listedOn;
    profile.listedReason = rng.pick(DISHONESTY_REASONS);
    record(b, dishonesty(enterprise, listedOn, removedOn, 'REPAIRED', officeTime(rng, removedOn)));
  } else if (profile.grade === 'A' && rng.chance(0.03)) {
    record(b, {
      kind: 'COMMENDATION',
      subjectUscc: enterprise.uscc,
      decisionNo: null,
      fineFen: null,
      authorityName: authorityName(CREDIT_CENTRE),
      publishedOn: gradedOn,
      publicityEndsOn: addYears(gradedOn, 1),
      status: 'PUBLISHED',
      commitment: null,
      updatedAt: profile.updatedAt,
    });
  }
  b.world.creditProfiles.push(profile);
  return profile;
}

function dishonesty(
  enterprise: WorldEnterprise,
  publishedOn: number,
  publicityEndsOn: number,
  status: WorldCreditRecord['status'],
  updatedAt: number,
): Omit<WorldCreditRecord, 'id'> {
  return {
    kind: 'SERIOUS_DISHONESTY',
    subjectUscc: enterprise.uscc,
    decisionNo: null,
    fineFen: null,
    authorityName: authorityName(CREDIT_CENTRE),
    publishedOn,
    publicityEndsOn,
    status,
    commitment: null,
    updatedAt,
  };
}
