import type { InspectionKind, InspectionOutcome } from '../../src/domain/types.ts';
import { DOMAINS, DOMAIN_DEPARTMENT, type SupervisionDomain } from './authorities.ts';
import type { WorldBuilder } from './builder.ts';
import { chinaYear } from './china-time.ts';
import { pad6 } from './id-sequences.ts';
import type { WorldEnterprise, WorldInspection } from './model.ts';
import { LEGACY_ERA_END, days, officeTime, randomInstant } from './timeline.ts';

export interface InspectionPlan {
  kind: InspectionKind;
  domain: SupervisionDomain;
  permitNo: string | null;
  day: number;
  outcome: InspectionOutcome;
  /** Scheduled after asOf: still 待检查, nothing found yet. */
  planned: boolean;
}

const FINDINGS: Readonly<Record<InspectionOutcome, string>> = {
  NO_PROBLEM: '现场检查未发现问题',
  PROBLEM_FOUND: '发现台账记录不全等一般性问题，已当场指出',
  RECTIFICATION_ORDERED: '发现安全隐患及管理问题，已下达责令整改通知书',
  VIOLATION_FOUND: '发现涉嫌违法行为，需移送有管辖权的执法主体处理',
};

/** One shared array per department, so the common single-department inspection allocates none. */
const SOLO: ReadonlyMap<string, readonly string[]> = new Map(
  Object.values(DOMAIN_DEPARTMENT).map((code) => [code, Object.freeze([code])]),
);

function departments(b: WorldBuilder, plan: InspectionPlan, lead: string): readonly string[] {
  if (plan.kind !== 'JOINT') return SOLO.get(lead)!;
  const codes = [lead];
  const extra = b.rng.int(1, 2);
  while (codes.length < extra + 1) {
    const code = DOMAIN_DEPARTMENT[b.rng.pick(DOMAINS)];
    if (!codes.includes(code)) codes.push(code);
  }
  return codes;
}

export function recordInspection(b: WorldBuilder, enterprise: WorldEnterprise, plan: InspectionPlan): WorldInspection {
  const { rng, asOfMs } = b;
  const lead = DOMAIN_DEPARTMENT[plan.domain];
  const year = chinaYear(plan.day);
  const sequence = b.ids.next('JC', year);
  const byLegacyNumber = enterprise.legacyRegNo !== null && plan.day < LEGACY_ERA_END && rng.chance(0.5);
  const inspection: WorldInspection = {
    id: `JC${year}${pad6(sequence)}`,
    taskId: `RW${year}${pad6(Math.ceil(sequence / 8))}`,
    subjectCodeKind: byLegacyNumber ? 'LEGACY_REG_NO' : 'USCC',
    subjectCode: byLegacyNumber ? enterprise.legacyRegNo! : enterprise.uscc,
    subjectName: enterprise.name,
    permitNo: plan.permitNo,
    kind: plan.kind,
    inspectedOn: plan.day,
    leadAuthorityCode: lead,
    authorityCodes: departments(b, plan, lead),
    townshipCode: enterprise.townshipCode,
    outcome: plan.planned ? 'NO_PROBLEM' : plan.outcome,
    status: 'CLOSED',
    findings: plan.planned ? '' : FINDINGS[plan.outcome],
    rectification: null,
    updatedAt: 0,
  };
  if (plan.planned) {
    inspection.status = 'PLANNED';
    inspection.updatedAt = randomInstant(rng, asOfMs - days(30), asOfMs - 1000);
  } else {
    const inspectedAt = officeTime(rng, plan.day);
    inspection.updatedAt = Math.min(inspectedAt + rng.int(0, 2 * 86_400) * 1000, asOfMs - 1000);
    if (plan.day > asOfMs - days(30) && rng.chance(0.6)) inspection.status = 'INSPECTED';
  }
  if (inspection.outcome === 'RECTIFICATION_ORDERED') {
    const deadline = plan.day + days(rng.pick([15, 30]));
    const due = deadline < asOfMs;
    inspection.rectification = {
      orderNo: `ZG${year}${pad6(b.ids.next('ZG', year))}`,
      deadline,
      status: due ? (rng.chance(0.85) ? 'RECTIFIED' : 'OVERDUE') : 'IN_PROGRESS',
    };
    if (due) inspection.updatedAt = Math.max(inspection.updatedAt, Math.min(officeTime(rng, deadline), asOfMs - 1000));
  }
  b.world.inspections.push(inspection);
  return inspection;
}
