import type { Case, CaseStatus, CreditProfile, CreditRecord, LocalDate, Penalty, Permit } from '../../domain/types.ts';
import type {
  CreditCheckCondition,
  CreditCheckRule,
  CreditCheckRules,
  CreditCheckTrigger,
} from './credit-check-rules.ts';

/** What the agencies hold about one subject that the rules look at. */
export interface SubjectFacts {
  uscc: string;
  penalties: readonly Penalty[];
  /** The permits penalties affected, by number (a revocation names the item through its permit). */
  affectedPermits: ReadonlyMap<string, Permit>;
  cases: readonly Case[];
  /** Each power item's supervision domain, from the power list. */
  powerItemDomains: ReadonlyMap<string, string>;
  credit: CreditProfile | null;
  creditRecords: readonly CreditRecord[];
  /**
   * Agency resources (`<system>.<resource>`, as `UPSTREAM_RECORD_DROPPED` names them) holding
   * records of this subject the gateway could not read: dropped as unmappable, or named by another
   * record and not found. The facts above lack them.
   */
  unreadable?: ReadonlySet<string>;
}

/**
 * The agency resources each trigger reads. A rule that finds nothing while one of them held a
 * record the gateway could not read has not cleared the applicant: it is not evaluated. Typed per
 * trigger, so a new trigger cannot be added without saying what it reads.
 */
export const TRIGGER_READS: Readonly<Record<CreditCheckTrigger, readonly string[]>> = {
  SERIOUS_DISHONESTY_LISTED: ['credit.subject', 'credit.record'],
  PERMIT_REVOKED: ['enforcement.penalty', 'approval.permit'],
  FINE_NOT_EXECUTED: ['enforcement.penalty'],
  OPEN_CASE_SAME_ITEM: ['enforcement.case', 'enforcement.item'],
  CREDIT_GRADE: ['credit.subject'],
  COMMITMENT_BREACHED: ['credit.record'],
};

export type Verdict = 'CLEAR' | 'CONDITIONS' | 'REFUSE';

export type TriggeringRecordKind =
  'PENALTY_DECISION' | 'PERMIT' | 'DISHONESTY_LISTING' | 'CASE' | 'CREDIT_GRADE' | 'COMMITMENT';

export interface TriggeringRecord {
  kind: TriggeringRecordKind;
  /** Decision number, permit number, case number, credit record id, or the grade. */
  id: string;
  on: LocalDate | null;
}

export interface CreditCheckReason {
  ruleId: string;
  verdict: Exclude<Verdict, 'CLEAR'>;
  conditions: CreditCheckCondition[];
  text: string;
  legalBasis: string;
  triggeredBy: TriggeringRecord[];
  /** The last day the reason applies; null while it lasts until something changes (payment, repair, closing). */
  appliesUntil: LocalDate | null;
  reveals: string[];
}

/**
 * Why a rule was not evaluated: the caller may not read what its reasons reveal (`fields`), or
 * records it reads could not be read (`sources`).
 */
export type NotEvaluatedReason = 'FIELDS_NOT_READABLE' | 'RECORDS_NOT_READABLE';

export interface Evaluation {
  verdict: Verdict;
  reasons: CreditCheckReason[];
  /** Rules whose outcome this check could not establish, and why. */
  notEvaluated: Array<{ ruleId: string; reason: NotEvaluatedReason; fields: string[]; sources: string[] }>;
  /**
   * Rules that applied over the records read while some of theirs could not be read: the reason
   * stands, but its records and last day may be incomplete.
   */
  appliedOverUnreadable: string[];
  /** Rules evaluated only over the records within the caller's jurisdiction, with the fields that kept them there. */
  partlyEvaluated: Array<{ ruleId: string; fields: string[]; jurisdictionCode: string }>;
}

/**
 * For a caller whose jurisdiction does not cover the area the gateway serves (a township team):
 * what its check sees only within that jurisdiction. Cases reach it only there (the loaders drop
 * the others), and its system's conditional fields open by owner standing only on records there.
 */
export interface JurisdictionScope {
  jurisdictionCode: string;
  /** The subject's facts within the jurisdiction (its penalties whose cases arose there, say). */
  within: SubjectFacts;
  /** Whether the caller may read a field on records within its jurisdiction. */
  mayReadWithin(field: string): boolean;
  /** Whether the records a field is read on reach the check only within the jurisdiction. */
  confined(field: string): boolean;
}

/** A case still being worked: filed and neither executed, closed nor withdrawn. */
export const OPEN_CASE: ReadonlySet<CaseStatus> = new Set([
  'FILED',
  'INVESTIGATING',
  'LEGAL_REVIEW',
  'DECIDED',
  'SERVED',
]);

const dayOf = (instant: string): LocalDate => instant.slice(0, 10);

/** The last day of a bar of `years` from `day` (自……之日起N年内). */
function lastDayOfYears(day: LocalDate, years: number): LocalDate {
  const end = new Date(
    Date.UTC(Number(day.slice(0, 4)) + years, Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) - 86_400_000,
  );
  return end.toISOString().slice(0, 10);
}

function triggers(
  rule: CreditCheckRule,
  facts: SubjectFacts,
  itemCode: string,
  itemDomain: string,
  asOf: LocalDate,
): Omit<CreditCheckReason, 'ruleId' | 'verdict' | 'conditions' | 'text' | 'legalBasis' | 'reveals'> | null {
  switch (rule.trigger) {
    case 'SERIOUS_DISHONESTY_LISTED': {
      const listing = facts.credit?.dishonesty;
      if (!listing || listing.status !== 'LISTED' || (listing.listedOn !== null && listing.listedOn > asOf))
        return null;
      const record = facts.creditRecords.find(
        (r) => r.kind === 'SERIOUS_DISHONESTY' && r.status === 'PUBLISHED' && r.publishedOn <= asOf,
      );
      return {
        triggeredBy: [{ kind: 'DISHONESTY_LISTING', id: record?.id ?? facts.uscc, on: listing.listedOn }],
        appliesUntil: record?.publicityEndsOn ?? null,
      };
    }
    case 'PERMIT_REVOKED': {
      if (!rule.items!.includes(itemCode)) return null;
      const bars = facts.penalties.flatMap((p) => {
        const permit = p.affectedPermitNo === null ? undefined : facts.affectedPermits.get(p.affectedPermitNo);
        const decided = dayOf(p.decidedAt);
        const until = lastDayOfYears(decided, rule.years!);
        if (!p.kinds.includes('PERMIT_REVOCATION') || permit?.itemCode !== itemCode || decided > asOf || until < asOf)
          return [];
        return [{ penalty: p, permit, until }];
      });
      if (bars.length === 0) return null;
      return {
        triggeredBy: bars.flatMap(({ penalty, permit }) => [
          { kind: 'PENALTY_DECISION' as const, id: penalty.decisionNo, on: dayOf(penalty.decidedAt) },
          { kind: 'PERMIT' as const, id: permit.permitNo, on: permit.validFrom },
        ]),
        appliesUntil: bars
          .map((b) => b.until)
          .sort()
          .at(-1)!,
      };
    }
    case 'FINE_NOT_EXECUTED': {
      const unpaid = facts.penalties.filter(
        (p) =>
          p.kinds.includes('FINE') && p.fineFen > 0 && p.executionStatus !== 'EXECUTED' && dayOf(p.decidedAt) <= asOf,
      );
      if (unpaid.length === 0) return null;
      return {
        triggeredBy: unpaid.map((p) => ({ kind: 'PENALTY_DECISION', id: p.decisionNo, on: dayOf(p.decidedAt) })),
        appliesUntil: null,
      };
    }
    case 'OPEN_CASE_SAME_ITEM': {
      const open = facts.cases.filter(
        (c) =>
          OPEN_CASE.has(c.status) &&
          dayOf(c.filedAt) <= asOf &&
          facts.powerItemDomains.get(c.powerItemCode) === itemDomain,
      );
      if (open.length === 0) return null;
      return {
        triggeredBy: open.map((c) => ({ kind: 'CASE', id: c.caseNo, on: dayOf(c.filedAt) })),
        appliesUntil: null,
      };
    }
    case 'CREDIT_GRADE': {
      const credit = facts.credit;
      if (!credit || !rule.grades!.includes(credit.grade) || credit.gradedOn > asOf) return null;
      return { triggeredBy: [{ kind: 'CREDIT_GRADE', id: credit.grade, on: credit.gradedOn }], appliesUntil: null };
    }
    case 'COMMITMENT_BREACHED': {
      const breached = facts.creditRecords.filter(
        (r) =>
          r.kind === 'COMMITMENT' &&
          r.commitment?.fulfilment === 'BREACHED' &&
          r.status === 'PUBLISHED' &&
          r.publishedOn <= asOf,
      );
      if (breached.length === 0) return null;
      return {
        triggeredBy: breached.map((r) => ({ kind: 'COMMITMENT', id: r.id, on: r.publishedOn })),
        appliesUntil: null,
      };
    }
  }
}

const SEVERITY: Readonly<Record<Verdict, number>> = { CLEAR: 0, CONDITIONS: 1, REFUSE: 2 };

/**
 * Applies every rule to one subject for one permit item as of a day. A rule whose revealed
 * fields the caller may not read is not evaluated at all — its outcome would itself reveal
 * them — and is named in `notEvaluated` whether it would have triggered or not.
 *
 * With a jurisdiction scope, a rule that reads records reaching the check only within the
 * caller's jurisdiction, or fields the caller reads only there, is evaluated over the facts
 * within it and named in `partlyEvaluated` — whether or not records lie beyond, which the caller
 * must not learn: its verdict is no clearance of what lies beyond.
 */
export function evaluateRules(
  rules: CreditCheckRules,
  facts: SubjectFacts,
  itemCode: string,
  asOf: LocalDate,
  mayRead: (field: string) => boolean = () => true,
  scope?: JurisdictionScope,
): Evaluation {
  const itemDomain = rules.permitItems.find((item) => item.code === itemCode)?.domain ?? '';
  const reasons: CreditCheckReason[] = [];
  const notEvaluated: Evaluation['notEvaluated'] = [];
  const partlyEvaluated: Evaluation['partlyEvaluated'] = [];
  const appliedOverUnreadable: string[] = [];
  for (const rule of rules.rules) {
    const readableWithin = rule.reveals.filter((field) => !mayRead(field));
    const hidden = readableWithin.filter((field) => !scope?.mayReadWithin(field));
    if (hidden.length > 0) {
      notEvaluated.push({ ruleId: rule.id, reason: 'FIELDS_NOT_READABLE', fields: hidden, sources: [] });
      continue;
    }
    const unread = TRIGGER_READS[rule.trigger].filter((source) => facts.unreadable?.has(source));
    const keptWithin = scope
      ? rule.reveals.filter((field) => readableWithin.includes(field) || scope.confined(field))
      : [];
    const hit = triggers(rule, scope && keptWithin.length > 0 ? scope.within : facts, itemCode, itemDomain, asOf);
    // Finding nothing over records not all read clears nothing; finding something stands.
    if (!hit && unread.length > 0) {
      notEvaluated.push({ ruleId: rule.id, reason: 'RECORDS_NOT_READABLE', fields: [], sources: unread });
      continue;
    }
    if (scope && keptWithin.length > 0)
      partlyEvaluated.push({ ruleId: rule.id, fields: keptWithin, jurisdictionCode: scope.jurisdictionCode });
    if (!hit) continue;
    if (unread.length > 0) appliedOverUnreadable.push(rule.id);
    reasons.push({
      ruleId: rule.id,
      verdict: rule.verdict,
      conditions: rule.conditions,
      text: rule.text,
      legalBasis: rule.legalBasis,
      reveals: rule.reveals,
      ...hit,
    });
  }
  const verdict = reasons.reduce<Verdict>(
    (worst, r) => (SEVERITY[r.verdict] > SEVERITY[worst] ? r.verdict : worst),
    'CLEAR',
  );
  return { verdict, reasons, notEvaluated, partlyEvaluated, appliedOverUnreadable };
}
