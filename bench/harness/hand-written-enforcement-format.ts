/**
 * The hand-written enforcement mapper as it was before profiles/enforcement.yaml replaced it
 * (src/connectors/enforcement/enforcement-format.ts, deleted with its connector), kept only so
 * that bench/profile-mapping.ts can go on comparing the profile against it. Nothing else imports it.
 */
import type {
  Authority,
  AuthorityKind,
  Case,
  CaseProcedure,
  CaseStatus,
  Clue,
  ClueSource,
  ClueStatus,
  Delegation,
  DelegationMode,
  ExecutionStatus,
  Jurisdiction,
  JurisdictionLevel,
  LenientHandling,
  Penalty,
  PenaltyKind,
  PowerItem,
} from '../../src/domain/types.ts';
import { isRecord } from '../../src/connectors/http/envelope.ts';
import type {
  RawCase,
  RawClue,
  RawItem,
  RawOrg,
  RawPenalty,
  RawRegion,
} from '../../test/connectors/builders/enforcement-records.ts';
import {
  UnmappableFieldError,
  codeTable,
  dateFromEpochMs,
  fenFromFen,
  instantFromEpochMs,
  nullable,
  nullableText,
  text,
} from '../../src/connectors/mapping/index.ts';

/** The enforcement case system (综合行政执法): UPPER_SNAKE_CASE, epoch ms, fen, numeric codes. */

const clueSource = codeTable<number, ClueSource>('SOURCE', {
  1: 'INSPECTION',
  2: 'COMPLAINT',
  3: 'DEPARTMENT_TRANSFER',
});

const clueStatus = codeTable<number, ClueStatus>('STATUS', {
  1: 'RECEIVED',
  2: 'ACCEPTED',
  3: 'RETURNED',
  4: 'CASE_FILED',
  5: 'NOT_FILED',
});

const caseProcedure = codeTable<number, CaseProcedure>('PROCEDURE', { 1: 'SIMPLE', 2: 'GENERAL' });

const caseStatus = codeTable<number, CaseStatus>('STATUS', {
  10: 'FILED',
  20: 'INVESTIGATING',
  30: 'LEGAL_REVIEW',
  40: 'DECIDED',
  50: 'SERVED',
  60: 'EXECUTED',
  70: 'CLOSED',
  90: 'WITHDRAWN',
});

const lenientHandling = codeTable<number, LenientHandling>('LENIENT', {
  0: 'NONE',
  1: 'FIRST_VIOLATION_NO_PENALTY',
  2: 'MINOR_NO_PENALTY',
  3: 'LIGHTER_PENALTY',
});

const legalReviewed = codeTable<number, boolean>('LEGAL_REVIEW', { 0: false, 1: true });

const penaltyKind = codeTable<string, PenaltyKind>('PENALTY_TYPES', {
  1: 'WARNING',
  2: 'FINE',
  3: 'CONFISCATION',
  4: 'PERMIT_SUSPENSION',
  5: 'PERMIT_REVOCATION',
  6: 'BUSINESS_SUSPENSION',
  7: 'DETENTION_TRANSFER',
});

const executionStatus = codeTable<number, ExecutionStatus>('EXEC_STATUS', {
  0: 'NOT_EXECUTED',
  1: 'EXECUTED',
  2: 'PARTIALLY_EXECUTED',
  3: 'COMPULSORY_ENFORCEMENT',
});

const jurisdictionLevel = codeTable<number, JurisdictionLevel>('LEVEL', {
  1: 'PROVINCE',
  2: 'CITY',
  3: 'COUNTY',
  4: 'TOWNSHIP',
});

const authorityKind = codeTable<number, AuthorityKind>('ORG_TYPE', {
  1: 'APPROVAL_BUREAU',
  2: 'INDUSTRY_DEPARTMENT',
  3: 'TOWNSHIP_ENFORCEMENT_TEAM',
  4: 'COUNTY_ENFORCEMENT_BUREAU',
  5: 'CREDIT_CENTRE',
  6: 'ANALYSIS_OFFICE',
});

const delegationMode = codeTable<number, DelegationMode>('DELEGATIONS.MODE', {
  1: 'DELEGATED',
  2: 'STATIONED',
  3: 'ONE_PLUS_X',
  4: 'COUNTY_RETAINED',
});

export function toClue(raw: RawClue): Clue {
  const informantName = nullableText('INFORMANT_NAME', raw.INFORMANT_NAME);
  const informantPhone = nullableText('INFORMANT_PHONE', raw.INFORMANT_PHONE);
  return {
    id: text('CLUE_ID', raw.CLUE_ID),
    source: clueSource(raw.SOURCE),
    inspectionId: nullableText('INSPECTION_ID', raw.INSPECTION_ID),
    subjectUscc: text('SUBJECT_USCC', raw.SUBJECT_USCC),
    powerItemCode: text('ITEM_CODE', raw.ITEM_CODE),
    senderCode: text('SENDER_ORG', raw.SENDER_ORG),
    receiverCode: text('RECEIVER_ORG', raw.RECEIVER_ORG),
    townshipCode: text('REGION_CODE', raw.REGION_CODE),
    receivedAt: instantFromEpochMs('RECEIVED_TIME', raw.RECEIVED_TIME),
    respondedAt: nullable(raw.RESPONDED_TIME, (value) => instantFromEpochMs('RESPONDED_TIME', value)),
    status: clueStatus(raw.STATUS),
    caseNo: nullableText('CASE_NO', raw.CASE_NO),
    // An informant may give only a name or only a phone; either makes the clue carry one.
    informant:
      informantName === null && informantPhone === null
        ? null
        : { name: informantName ?? '', phone: informantPhone ?? '' },
    updatedAt: instantFromEpochMs('UPDATE_TIME', raw.UPDATE_TIME),
  };
}

export function toCase(raw: RawCase): Case {
  return {
    caseNo: text('CASE_NO', raw.CASE_NO),
    clueId: nullableText('CLUE_ID', raw.CLUE_ID),
    subjectUscc: text('SUBJECT_USCC', raw.SUBJECT_USCC),
    subjectName: text('SUBJECT_NAME', raw.SUBJECT_NAME),
    powerItemCode: text('ITEM_CODE', raw.ITEM_CODE),
    authorityCode: text('ORG_CODE', raw.ORG_CODE),
    townshipCode: text('REGION_CODE', raw.REGION_CODE),
    procedure: caseProcedure(raw.PROCEDURE),
    status: caseStatus(raw.STATUS),
    lenientHandling: lenientHandling(raw.LENIENT),
    legalReviewed: legalReviewed(raw.LEGAL_REVIEW),
    filedAt: instantFromEpochMs('FILING_TIME', raw.FILING_TIME),
    decidedAt: nullable(raw.DECISION_TIME, (value) => instantFromEpochMs('DECISION_TIME', value)),
    closedAt: nullable(raw.CLOSE_TIME, (value) => instantFromEpochMs('CLOSE_TIME', value)),
    updatedAt: instantFromEpochMs('UPDATE_TIME', raw.UPDATE_TIME),
  };
}

/** `"1,5"` → warning and permit revocation; an empty list stays empty. */
export function toPenaltyKinds(types: unknown): PenaltyKind[] {
  const list = text('PENALTY_TYPES', types).trim();
  if (list === '') return [];
  return list.split(',').map((code) => {
    const trimmed = code.trim();
    if (!/^\d+$/.test(trimmed)) throw new UnmappableFieldError('PENALTY_TYPES', types);
    return penaltyKind(trimmed);
  });
}

export function toPenalty(raw: RawPenalty): Penalty {
  return {
    decisionNo: text('DECISION_NO', raw.DECISION_NO),
    caseNo: text('CASE_NO', raw.CASE_NO),
    subjectUscc: text('SUBJECT_USCC', raw.SUBJECT_USCC),
    kinds: toPenaltyKinds(raw.PENALTY_TYPES),
    fineFen: fenFromFen('FINE_FEN', raw.FINE_FEN),
    confiscatedFen: fenFromFen('CONFISCATED_FEN', raw.CONFISCATED_FEN),
    affectedPermitNo: nullableText('PERMIT_NO', raw.PERMIT_NO),
    decidedAt: instantFromEpochMs('DECISION_TIME', raw.DECISION_TIME),
    executionStatus: executionStatus(raw.EXEC_STATUS),
    executedAt: nullable(raw.EXEC_TIME, (value) => instantFromEpochMs('EXEC_TIME', value)),
    updatedAt: instantFromEpochMs('UPDATE_TIME', raw.UPDATE_TIME),
  };
}

export function toJurisdiction(raw: RawRegion): Jurisdiction {
  return {
    code: text('REGION_CODE', raw.REGION_CODE),
    name: text('REGION_NAME', raw.REGION_NAME),
    level: jurisdictionLevel(raw.LEVEL),
    parentCode: nullableText('PARENT_CODE', raw.PARENT_CODE),
  };
}

export function toAuthority(raw: RawOrg): Authority {
  return {
    code: text('ORG_CODE', raw.ORG_CODE),
    name: text('ORG_NAME', raw.ORG_NAME),
    kind: authorityKind(raw.ORG_TYPE),
    jurisdictionCode: text('REGION_CODE', raw.REGION_CODE),
  };
}

function toDelegation(raw: unknown): Delegation {
  if (!isRecord(raw)) throw new UnmappableFieldError('DELEGATIONS', raw);
  return {
    townshipCode: text('DELEGATIONS.REGION_CODE', raw.REGION_CODE),
    mode: delegationMode(raw.MODE),
    authorityCode: text('DELEGATIONS.ORG_CODE', raw.ORG_CODE),
    validFrom: dateFromEpochMs('DELEGATIONS.VALID_FROM', raw.VALID_FROM),
    validUntil: nullable(raw.VALID_TO, (value) => dateFromEpochMs('DELEGATIONS.VALID_TO', value)),
  };
}

/** One unknown delegation mode drops the whole item: a partial list of who holds a power misleads. */
export function toPowerItem(raw: RawItem): PowerItem {
  if (!Array.isArray(raw.DELEGATIONS)) throw new UnmappableFieldError('DELEGATIONS', raw.DELEGATIONS);
  return {
    code: text('ITEM_CODE', raw.ITEM_CODE),
    name: text('ITEM_NAME', raw.ITEM_NAME),
    domain: text('DOMAIN', raw.DOMAIN),
    legalBasis: text('LEGAL_BASIS', raw.LEGAL_BASIS),
    delegations: raw.DELEGATIONS.map(toDelegation),
  };
}

export type { RawCase, RawClue, RawPenalty };
