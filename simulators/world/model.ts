import type {
  Authority,
  CaseProcedure,
  CaseStatus,
  CommitmentFulfilment,
  CreditGrade,
  CreditRecordKind,
  DelegationMode,
  DishonestyListStatus,
  ExecutionStatus,
  InspectionKind,
  InspectionOutcome,
  InspectionStatus,
  Jurisdiction,
  LenientHandling,
  PenaltyKind,
  PermitStatus,
  PublicityStatus,
  RectificationStatus,
  SubjectKind,
} from '../../src/domain/types.ts';

/**
 * The neutral world every simulator renders from. Times are epoch milliseconds (whole
 * seconds); `...On` fields are midnight China time. Plain objects only: at scale 100 there
 * are millions of them.
 */

export interface WorldEnterprise {
  uscc: string;
  legacyRegNo: string | null;
  name: string;
  kind: SubjectKind;
  townshipCode: string;
  industryCode: string;
  establishedOn: number;
  address: string;
  legalRepName: string;
  legalRepIdNumber: string;
  legalRepPhone: string;
  updatedAt: number;
}

export interface WorldPermit {
  permitNo: string;
  itemCode: string;
  itemName: string;
  holderUscc: string;
  issuerCode: string;
  decidedAt: number;
  validFrom: number;
  validUntil: number | null;
  status: PermitStatus;
  commitmentBased: boolean;
  verificationDueOn: number | null;
  updatedAt: number;
}

export interface WorldInspection {
  id: string;
  taskId: string;
  subjectCodeKind: 'USCC' | 'LEGACY_REG_NO';
  subjectCode: string;
  subjectName: string;
  permitNo: string | null;
  kind: InspectionKind;
  inspectedOn: number;
  leadAuthorityCode: string;
  authorityCodes: readonly string[];
  townshipCode: string;
  outcome: InspectionOutcome;
  status: InspectionStatus;
  findings: string;
  rectification: { orderNo: string; deadline: number; status: RectificationStatus } | null;
  updatedAt: number;
}

export type ClueSourceKind = 'INSPECTION' | 'COMPLAINT' | 'DEPARTMENT_TRANSFER';
export type ClueState = 'RECEIVED' | 'ACCEPTED' | 'RETURNED' | 'CASE_FILED' | 'NOT_FILED';

export interface WorldClue {
  id: string;
  source: ClueSourceKind;
  inspectionId: string | null;
  subjectUscc: string;
  powerItemCode: string;
  senderCode: string;
  receiverCode: string;
  townshipCode: string;
  receivedAt: number;
  respondedAt: number | null;
  status: ClueState;
  caseNo: string | null;
  informantName: string | null;
  informantPhone: string | null;
  updatedAt: number;
}

export interface WorldCase {
  caseNo: string;
  clueId: string | null;
  subjectUscc: string;
  subjectName: string;
  powerItemCode: string;
  authorityCode: string;
  townshipCode: string;
  procedure: CaseProcedure;
  status: CaseStatus;
  lenientHandling: LenientHandling;
  legalReviewed: boolean;
  filedAt: number;
  decidedAt: number | null;
  closedAt: number | null;
  updatedAt: number;
}

export interface WorldPenalty {
  decisionNo: string;
  caseNo: string;
  subjectUscc: string;
  kinds: readonly PenaltyKind[];
  fineFen: number;
  confiscatedFen: number;
  affectedPermitNo: string | null;
  decidedAt: number;
  executionStatus: ExecutionStatus;
  executedAt: number | null;
  updatedAt: number;
}

export interface WorldCreditProfile {
  uscc: string;
  name: string;
  grade: CreditGrade;
  gradedOn: number;
  dishonestyStatus: DishonestyListStatus;
  listedOn: number | null;
  listedReason: string | null;
  updatedAt: number;
}

export interface WorldCommitment {
  type: string;
  content: string;
  fulfilment: CommitmentFulfilment;
  permitNo: string | null;
}

export interface WorldCreditRecord {
  id: string;
  kind: CreditRecordKind;
  subjectUscc: string;
  decisionNo: string | null;
  fineFen: number | null;
  authorityName: string;
  publishedOn: number;
  publicityEndsOn: number | null;
  status: PublicityStatus;
  commitment: WorldCommitment | null;
  updatedAt: number;
}

export interface WorldDelegation {
  townshipCode: string;
  mode: DelegationMode;
  authorityCode: string;
  validFrom: number;
  validUntil: number | null;
}

export interface WorldPowerItem {
  code: string;
  name: string;
  domain: string;
  legalBasis: string;
  delegations: WorldDelegation[];
}

export type LoopBreakKind =
  | 'COMMITMENT_NOT_VERIFIED'
  | 'VIOLATION_NOT_TRANSFERRED'
  | 'CLUE_UNANSWERED'
  | 'PENALTY_NOT_PUBLISHED'
  | 'PERMIT_VALID_AFTER_REVOCATION'
  | 'PUBLICITY_OVERDUE';

/** A loop break planted on purpose; detection must find exactly these. */
export interface ManifestEntry {
  kind: LoopBreakKind;
  subjectUscc: string;
  refs: Record<string, string>;
}

export interface World {
  seed: number;
  scale: number;
  /** The civil date the world is seen from; every update time is at or before its midnight. */
  asOf: string;
  asOfMs: number;
  jurisdictions: Jurisdiction[];
  authorities: Authority[];
  powerItems: WorldPowerItem[];
  enterprises: WorldEnterprise[];
  permits: WorldPermit[];
  inspections: WorldInspection[];
  clues: WorldClue[];
  cases: WorldCase[];
  penalties: WorldPenalty[];
  creditProfiles: WorldCreditProfile[];
  creditRecords: WorldCreditRecord[];
  manifest: ManifestEntry[];
}
