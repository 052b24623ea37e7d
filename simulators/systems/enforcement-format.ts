import type {
  AuthorityKind,
  CaseProcedure,
  CaseStatus,
  DelegationMode,
  ExecutionStatus,
  JurisdictionLevel,
  LenientHandling,
  PenaltyKind,
} from '../../src/domain/types.ts';
import type { Rendered } from '../server/resource-store.ts';
import type { ClueSourceKind, ClueState, World, WorldCase, WorldClue, WorldPenalty } from '../world/model.ts';

/** The enforcement case system: UPPER_SNAKE_CASE, epoch milliseconds, fen, numeric codes. */
const SOURCE: Readonly<Record<ClueSourceKind, number>> = { INSPECTION: 1, COMPLAINT: 2, DEPARTMENT_TRANSFER: 3 };
const CLUE_STATUS: Readonly<Record<ClueState, number>> = {
  RECEIVED: 1,
  ACCEPTED: 2,
  RETURNED: 3,
  CASE_FILED: 4,
  NOT_FILED: 5,
};
const PROCEDURE: Readonly<Record<CaseProcedure, number>> = { SIMPLE: 1, GENERAL: 2 };
const CASE_STATUS: Readonly<Record<CaseStatus, number>> = {
  FILED: 10,
  INVESTIGATING: 20,
  LEGAL_REVIEW: 30,
  DECIDED: 40,
  SERVED: 50,
  EXECUTED: 60,
  CLOSED: 70,
  WITHDRAWN: 90,
};
const LENIENT: Readonly<Record<LenientHandling, number>> = {
  NONE: 0,
  FIRST_VIOLATION_NO_PENALTY: 1,
  MINOR_NO_PENALTY: 2,
  LIGHTER_PENALTY: 3,
};
const PENALTY_TYPE: Readonly<Record<PenaltyKind, number>> = {
  WARNING: 1,
  FINE: 2,
  CONFISCATION: 3,
  PERMIT_SUSPENSION: 4,
  PERMIT_REVOCATION: 5,
  BUSINESS_SUSPENSION: 6,
  DETENTION_TRANSFER: 7,
};
const EXEC_STATUS: Readonly<Record<ExecutionStatus, number>> = {
  NOT_EXECUTED: 0,
  EXECUTED: 1,
  PARTIALLY_EXECUTED: 2,
  COMPULSORY_ENFORCEMENT: 3,
};
const LEVEL: Readonly<Record<JurisdictionLevel, number>> = { PROVINCE: 1, CITY: 2, COUNTY: 3, TOWNSHIP: 4 };
const ORG_TYPE: Readonly<Record<AuthorityKind, number>> = {
  APPROVAL_BUREAU: 1,
  INDUSTRY_DEPARTMENT: 2,
  TOWNSHIP_ENFORCEMENT_TEAM: 3,
  COUNTY_ENFORCEMENT_BUREAU: 4,
  CREDIT_CENTRE: 5,
  ANALYSIS_OFFICE: 6,
};
const MODE: Readonly<Record<DelegationMode, number>> = {
  DELEGATED: 1,
  STATIONED: 2,
  ONE_PLUS_X: 3,
  COUNTY_RETAINED: 4,
};

export function renderClue(c: WorldClue): Rendered {
  return {
    CLUE_ID: c.id,
    SOURCE: SOURCE[c.source],
    INSPECTION_ID: c.inspectionId,
    SUBJECT_USCC: c.subjectUscc,
    ITEM_CODE: c.powerItemCode,
    SENDER_ORG: c.senderCode,
    RECEIVER_ORG: c.receiverCode,
    REGION_CODE: c.townshipCode,
    RECEIVED_TIME: c.receivedAt,
    RESPONDED_TIME: c.respondedAt,
    STATUS: CLUE_STATUS[c.status],
    CASE_NO: c.caseNo,
    INFORMANT_NAME: c.informantName,
    INFORMANT_PHONE: c.informantPhone,
    UPDATE_TIME: c.updatedAt,
  };
}

export function renderCase(c: WorldCase): Rendered {
  return {
    CASE_NO: c.caseNo,
    CLUE_ID: c.clueId,
    SUBJECT_USCC: c.subjectUscc,
    SUBJECT_NAME: c.subjectName,
    ITEM_CODE: c.powerItemCode,
    ORG_CODE: c.authorityCode,
    REGION_CODE: c.townshipCode,
    PROCEDURE: PROCEDURE[c.procedure],
    STATUS: CASE_STATUS[c.status],
    LENIENT: LENIENT[c.lenientHandling],
    LEGAL_REVIEW: c.legalReviewed ? 1 : 0,
    FILING_TIME: c.filedAt,
    DECISION_TIME: c.decidedAt,
    CLOSE_TIME: c.closedAt,
    UPDATE_TIME: c.updatedAt,
  };
}

export function renderPenalty(p: WorldPenalty): Rendered {
  return {
    DECISION_NO: p.decisionNo,
    CASE_NO: p.caseNo,
    SUBJECT_USCC: p.subjectUscc,
    PENALTY_TYPES: p.kinds.map((k) => PENALTY_TYPE[k]).join(','),
    FINE_FEN: p.fineFen,
    CONFISCATED_FEN: p.confiscatedFen,
    PERMIT_NO: p.affectedPermitNo,
    DECISION_TIME: p.decidedAt,
    EXEC_STATUS: EXEC_STATUS[p.executionStatus],
    EXEC_TIME: p.executedAt,
    UPDATE_TIME: p.updatedAt,
  };
}

export function renderRegions(world: World): Rendered[] {
  return world.jurisdictions.map((j) => ({
    REGION_CODE: j.code,
    REGION_NAME: j.name,
    LEVEL: LEVEL[j.level],
    PARENT_CODE: j.parentCode,
  }));
}

export function renderOrgs(world: World): Rendered[] {
  return world.authorities.map((a) => ({
    ORG_CODE: a.code,
    ORG_NAME: a.name,
    ORG_TYPE: ORG_TYPE[a.kind],
    REGION_CODE: a.jurisdictionCode,
  }));
}

/** VALID_TO is midnight (China time) of the last day a delegation applies. */
export function renderItems(world: World): Rendered[] {
  return world.powerItems.map((item) => ({
    ITEM_CODE: item.code,
    ITEM_NAME: item.name,
    DOMAIN: item.domain,
    LEGAL_BASIS: item.legalBasis,
    DELEGATIONS: item.delegations.map((d) => ({
      REGION_CODE: d.townshipCode,
      MODE: MODE[d.mode],
      ORG_CODE: d.authorityCode,
      VALID_FROM: d.validFrom,
      VALID_TO: d.validUntil,
    })),
  }));
}
