import type { LoopEvent } from '../events/index.ts';
import type { Authority, Inspection, Penalty, Permit } from '../../domain/types.ts';
import { startOfChinaDay } from '../../domain/china-time.ts';
import type { LoopIndexStore } from './loop-index-store.ts';

/**
 * The events (精准推送) a page of a change feed gives rise to, decided against what the index held
 * before the page: a permit the index never saw is issued, a known one whose status or validity
 * moved has changed; an inspection newly showing a violation; a penalty decision never seen.
 * `concerns` names the authorities to tell.
 */

export async function permitEvents(index: LoopIndexStore, permits: readonly Permit[]): Promise<LoopEvent[]> {
  const before = await index.permitStates(permits.map((p) => p.permitNo));
  const supervisors = await index.supervisingDepartments([...new Set(permits.map((p) => p.itemCode))]);
  const events: LoopEvent[] = [];
  for (const permit of permits) {
    const previous = before.get(permit.permitNo);
    // Who approves supervises: with no inspection history for the item yet, the issuer is told.
    const concerns = [supervisors.get(permit.itemCode) ?? permit.issuerCode];
    const payload = {
      permitNo: permit.permitNo,
      itemCode: permit.itemCode,
      status: permit.status,
      validUntil: permit.validUntil,
    };
    if (!previous) {
      events.push({
        kind: 'PERMIT_ISSUED',
        subjectUscc: permit.holderUscc,
        concerns,
        occurredAt: new Date(permit.decidedAt),
        dedupeKey: `PERMIT_ISSUED:${permit.permitNo}`,
        payload,
      });
    } else if (previous.status !== permit.status || previous.validUntil !== permit.validUntil) {
      events.push({
        kind: 'PERMIT_CHANGED',
        subjectUscc: permit.holderUscc,
        concerns,
        occurredAt: new Date(permit.updatedAt),
        dedupeKey: `PERMIT_CHANGED:${permit.permitNo}:${permit.updatedAt}`,
        payload: { ...payload, previousStatus: previous.status, previousValidUntil: previous.validUntil },
      });
    }
  }
  return events;
}

/** The enforcement authority for a township: its own team, else the county bureau over it. */
export function enforcementAuthorityFor(townshipCode: string, authorities: readonly Authority[]): string | null {
  const team = authorities.find((a) => a.kind === 'TOWNSHIP_ENFORCEMENT_TEAM' && a.jurisdictionCode === townshipCode);
  const bureau = authorities.find(
    (a) => a.kind === 'COUNTY_ENFORCEMENT_BUREAU' && townshipCode.startsWith(a.jurisdictionCode),
  );
  return (team ?? bureau)?.code ?? null;
}

export async function violationEvents(
  index: LoopIndexStore,
  inspections: readonly Inspection[],
  authorities: readonly Authority[],
): Promise<LoopEvent[]> {
  const violations = inspections.filter((i) => i.outcome === 'VIOLATION_FOUND' && i.status !== 'PLANNED');
  const known = await index.knownViolations(violations.map((i) => i.id));
  const legacy = violations.flatMap((i) => (i.subject.kind === 'LEGACY_REG_NO' ? [i.subject.value] : []));
  const usccs = await index.usccsOfLegacyNumbers(legacy);
  return violations
    .filter((i) => !known.has(i.id))
    .map((i) => {
      const authority = enforcementAuthorityFor(i.townshipCode, authorities);
      return {
        kind: 'VIOLATION_FOUND',
        // Older records name the subject by legacy number: the registry gives its USCC when it knows it.
        subjectUscc: usccs.get(i.subject.value) ?? i.subject.value,
        concerns: authority ? [authority] : [],
        occurredAt: new Date(startOfChinaDay(i.inspectedOn)),
        dedupeKey: `VIOLATION_FOUND:${i.id}`,
        payload: {
          inspectionId: i.id,
          townshipCode: i.townshipCode,
          leadAuthorityCode: i.leadAuthorityCode,
          permitNo: i.permitNo,
        },
      };
    });
}

export async function penaltyEvents(
  index: LoopIndexStore,
  penalties: readonly Penalty[],
  authorities: readonly Authority[],
): Promise<LoopEvent[]> {
  const known = await index.knownPenalties(penalties.map((p) => p.decisionNo));
  const fresh = penalties.filter((p) => !known.has(p.decisionNo));
  const permits = await index.permitStates(fresh.flatMap((p) => (p.affectedPermitNo ? [p.affectedPermitNo] : [])));
  const creditCentres = authorities.filter((a) => a.kind === 'CREDIT_CENTRE').map((a) => a.code);
  return fresh.map((p) => {
    const issuer = p.affectedPermitNo ? permits.get(p.affectedPermitNo)?.issuerCode : undefined;
    return {
      kind: 'PENALTY_DECIDED',
      subjectUscc: p.subjectUscc,
      concerns: [...new Set([...creditCentres, ...(issuer ? [issuer] : [])])],
      occurredAt: new Date(p.decidedAt),
      dedupeKey: `PENALTY_DECIDED:${p.decisionNo}`,
      payload: { decisionNo: p.decisionNo, caseNo: p.caseNo, kinds: p.kinds, affectedPermitNo: p.affectedPermitNo },
    };
  });
}
