import type { Case, Clue, CreditRecord, Inspection, Penalty, Permit } from '../../domain/types.ts';
import type { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { LoopRow } from './loop-index-tables.ts';

/** A clue must be answered within 5 working days of its receipt (瑞安 plan). */
export const CLUE_ANSWER_WORKING_DAYS = 5;
/** A general-procedure penalty must reach the credit platform within 7 working days. */
export const PUBLICATION_WORKING_DAYS = 7;

/** The civil date of an instant; the domain writes every instant with +08:00. */
function dayOf(instant: string): string {
  return instant.slice(0, 10);
}

export function permitRow(p: Permit): LoopRow<'permit'> {
  return {
    permit_no: p.permitNo,
    holder_uscc: p.holderUscc,
    item_code: p.itemCode,
    item_name: p.itemName,
    issuer_code: p.issuerCode,
    decided_at: p.decidedAt,
    valid_from: p.validFrom,
    valid_until: p.validUntil,
    status: p.status,
    commitment_based: p.commitmentBased,
    verification_due_on: p.verificationDueOn,
    upstream_updated_at: p.updatedAt,
  };
}

export function inspectionRow(i: Inspection): LoopRow<'inspection'> {
  return {
    id: i.id,
    subject_code: i.subject.value,
    subject_code_kind: i.subject.kind,
    permit_no: i.permitNo,
    kind: i.kind,
    inspected_on: i.inspectedOn,
    lead_authority_code: i.leadAuthorityCode,
    authority_codes: i.authorityCodes,
    township_code: i.townshipCode,
    outcome: i.outcome,
    status: i.status,
    upstream_updated_at: i.updatedAt,
  };
}

export function clueRow(c: Clue, calendar: WorkingDayCalendar): LoopRow<'clue'> {
  return {
    id: c.id,
    source: c.source,
    inspection_id: c.inspectionId,
    subject_uscc: c.subjectUscc,
    power_item_code: c.powerItemCode,
    sender_code: c.senderCode,
    receiver_code: c.receiverCode,
    township_code: c.townshipCode,
    received_at: c.receivedAt,
    responded_at: c.respondedAt,
    answer_due_on: calendar.addWorkingDays(dayOf(c.receivedAt), CLUE_ANSWER_WORKING_DAYS),
    status: c.status,
    case_no: c.caseNo,
    upstream_updated_at: c.updatedAt,
  };
}

export function caseRow(c: Case): LoopRow<'case'> {
  return {
    case_no: c.caseNo,
    clue_id: c.clueId,
    subject_uscc: c.subjectUscc,
    power_item_code: c.powerItemCode,
    authority_code: c.authorityCode,
    township_code: c.townshipCode,
    procedure: c.procedure,
    status: c.status,
    lenient_handling: c.lenientHandling,
    filed_at: c.filedAt,
    decided_at: c.decidedAt,
    closed_at: c.closedAt,
    upstream_updated_at: c.updatedAt,
  };
}

export function penaltyRow(p: Penalty, calendar: WorkingDayCalendar): LoopRow<'penalty'> {
  return {
    decision_no: p.decisionNo,
    case_no: p.caseNo,
    subject_uscc: p.subjectUscc,
    kinds: p.kinds,
    affected_permit_no: p.affectedPermitNo,
    decided_at: p.decidedAt,
    publication_due_on: calendar.addWorkingDays(dayOf(p.decidedAt), PUBLICATION_WORKING_DAYS),
    execution_status: p.executionStatus,
    executed_at: p.executedAt,
    upstream_updated_at: p.updatedAt,
  };
}

export function creditRecordRow(r: CreditRecord): LoopRow<'creditRecord'> {
  return {
    id: r.id,
    kind: r.kind,
    subject_uscc: r.subjectUscc,
    decision_no: r.decisionNo,
    authority_name: r.authorityName,
    published_on: r.publishedOn,
    publicity_ends_on: r.publicityEndsOn,
    status: r.status,
    upstream_updated_at: r.updatedAt,
  };
}
