/**
 * The gateway's domain types: what connectors return after normalising each agency's format.
 *
 * Conventions, whatever the upstream used:
 * - instants are ISO-8601 strings with the +08:00 offset (`2023-05-12T09:30:00+08:00`);
 * - civil dates are `YYYY-MM-DD` (China Standard Time);
 * - money is an integer number of fen (分); all amounts in this domain stay far below 2^53;
 * - statuses are closed string unions that match the GraphQL enums one to one;
 * - identifiers are kept exactly as the upstream holds them (a USCC may fail its check).
 */

export type AgencySystem = 'approval' | 'supervision' | 'enforcement' | 'credit';
export const AGENCY_SYSTEMS: readonly AgencySystem[] = ['approval', 'supervision', 'enforcement', 'credit'];

export type Instant = string;
export type LocalDate = string;
export type Fen = number;

export type SubjectKind = 'COMPANY' | 'INDIVIDUAL_BUSINESS' | 'FARMERS_COOPERATIVE';

export interface LegalRepresentative {
  name: string;
  idNumber: string;
  phone: string;
}

/** A market subject (市场主体) as the approval platform registers it. */
export interface Subject {
  uscc: string;
  legacyRegNo: string | null;
  name: string;
  kind: SubjectKind;
  townshipCode: string;
  industryCode: string;
  establishedOn: LocalDate;
  address: string;
  legalRepresentative: LegalRepresentative;
  updatedAt: Instant;
}

export type PermitStatus = 'VALID' | 'SUSPENDED' | 'REVOKED' | 'EXPIRED' | 'CANCELLED';

export interface Permit {
  permitNo: string;
  itemCode: string;
  itemName: string;
  holderUscc: string;
  issuerCode: string;
  decidedAt: Instant;
  validFrom: LocalDate;
  validUntil: LocalDate | null;
  status: PermitStatus;
  /** Granted on a written commitment (告知承诺制), to be verified on site by verificationDueOn. */
  commitmentBased: boolean;
  verificationDueOn: LocalDate | null;
  updatedAt: Instant;
}

export type InspectionKind = 'RANDOM' | 'KEY' | 'CREDIT_GRADED' | 'COMPLAINT' | 'JOINT' | 'COMMITMENT_VERIFICATION';
export type InspectionOutcome = 'NO_PROBLEM' | 'PROBLEM_FOUND' | 'RECTIFICATION_ORDERED' | 'VIOLATION_FOUND';
export type InspectionStatus = 'PLANNED' | 'INSPECTED' | 'CLOSED';
export type RectificationStatus = 'IN_PROGRESS' | 'RECTIFIED' | 'OVERDUE';

/** How the supervision system named the inspected subject: older records use the 15-digit number. */
export type SubjectReference = { kind: 'USCC'; value: string } | { kind: 'LEGACY_REG_NO'; value: string };

export interface Rectification {
  orderNo: string;
  deadline: LocalDate;
  status: RectificationStatus;
}

export interface Inspection {
  id: string;
  taskId: string;
  subject: SubjectReference;
  subjectName: string;
  permitNo: string | null;
  kind: InspectionKind;
  inspectedOn: LocalDate;
  leadAuthorityCode: string;
  /** Every department taking part; more than one for a joint inspection (综合查一次). */
  authorityCodes: string[];
  townshipCode: string;
  outcome: InspectionOutcome;
  status: InspectionStatus;
  findings: string;
  rectification: Rectification | null;
  updatedAt: Instant;
}

export type ClueSource = 'INSPECTION' | 'COMPLAINT' | 'DEPARTMENT_TRANSFER';
export type ClueStatus = 'RECEIVED' | 'ACCEPTED' | 'RETURNED' | 'CASE_FILED' | 'NOT_FILED';

export interface Informant {
  name: string;
  phone: string;
}

export interface Clue {
  id: string;
  source: ClueSource;
  inspectionId: string | null;
  subjectUscc: string;
  powerItemCode: string;
  senderCode: string;
  receiverCode: string;
  townshipCode: string;
  receivedAt: Instant;
  respondedAt: Instant | null;
  status: ClueStatus;
  caseNo: string | null;
  /** Only for complaints; never leaves the enforcement system's own callers. */
  informant: Informant | null;
  updatedAt: Instant;
}

export type CaseProcedure = 'SIMPLE' | 'GENERAL';
export type CaseStatus =
  'FILED' | 'INVESTIGATING' | 'LEGAL_REVIEW' | 'DECIDED' | 'SERVED' | 'EXECUTED' | 'CLOSED' | 'WITHDRAWN';
export type LenientHandling = 'NONE' | 'FIRST_VIOLATION_NO_PENALTY' | 'MINOR_NO_PENALTY' | 'LIGHTER_PENALTY';

export interface Case {
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
  filedAt: Instant;
  decidedAt: Instant | null;
  closedAt: Instant | null;
  updatedAt: Instant;
}

export type PenaltyKind =
  | 'WARNING'
  | 'FINE'
  | 'CONFISCATION'
  | 'PERMIT_SUSPENSION'
  | 'PERMIT_REVOCATION'
  | 'BUSINESS_SUSPENSION'
  | 'DETENTION_TRANSFER';
export type ExecutionStatus = 'NOT_EXECUTED' | 'EXECUTED' | 'PARTIALLY_EXECUTED' | 'COMPULSORY_ENFORCEMENT';

export interface Penalty {
  decisionNo: string;
  caseNo: string;
  subjectUscc: string;
  kinds: PenaltyKind[];
  fineFen: Fen;
  confiscatedFen: Fen;
  affectedPermitNo: string | null;
  decidedAt: Instant;
  executionStatus: ExecutionStatus;
  executedAt: Instant | null;
  updatedAt: Instant;
}

export type CreditRecordKind =
  'PENALTY_PUBLICITY' | 'COMMITMENT' | 'SERIOUS_DISHONESTY' | 'COMMENDATION' | 'CREDIT_REPAIR';
export type PublicityStatus = 'PUBLISHED' | 'WITHDRAWN' | 'REPAIRED';
export type CommitmentFulfilment = 'FULFILLED' | 'BREACHED' | 'PENDING_VERIFICATION';

export interface CreditRecord {
  id: string;
  kind: CreditRecordKind;
  subjectUscc: string;
  /** The penalty decision (行政处罚决定书文号) a publicity record publishes. */
  decisionNo: string | null;
  /** Exact: the credit platform's 万元 amounts are converted to fen without floating error. */
  fineFen: Fen | null;
  authorityName: string;
  publishedOn: LocalDate;
  publicityEndsOn: LocalDate | null;
  status: PublicityStatus;
  commitment: { type: string; content: string; fulfilment: CommitmentFulfilment; permitNo: string | null } | null;
  updatedAt: Instant;
}

export type CreditGrade = 'A' | 'B' | 'C' | 'D';
export type DishonestyListStatus = 'NOT_LISTED' | 'LISTED' | 'REMOVED';

export interface CreditProfile {
  uscc: string;
  name: string;
  grade: CreditGrade;
  gradedOn: LocalDate;
  dishonesty: { status: DishonestyListStatus; listedOn: LocalDate | null; reason: string | null };
  updatedAt: Instant;
}

export type JurisdictionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP';

export interface Jurisdiction {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parentCode: string | null;
}

export type AuthorityKind =
  | 'APPROVAL_BUREAU'
  | 'INDUSTRY_DEPARTMENT'
  | 'TOWNSHIP_ENFORCEMENT_TEAM'
  | 'COUNTY_ENFORCEMENT_BUREAU'
  | 'CREDIT_CENTRE'
  | 'ANALYSIS_OFFICE';

/** Every AuthorityKind; the Record makes the compiler flag a kind added to the type but not here. */
const AUTHORITY_KIND_SET: Readonly<Record<AuthorityKind, true>> = {
  APPROVAL_BUREAU: true,
  INDUSTRY_DEPARTMENT: true,
  TOWNSHIP_ENFORCEMENT_TEAM: true,
  COUNTY_ENFORCEMENT_BUREAU: true,
  CREDIT_CENTRE: true,
  ANALYSIS_OFFICE: true,
};
export const AUTHORITY_KINDS = Object.keys(AUTHORITY_KIND_SET) as readonly AuthorityKind[];

export function isAuthorityKind(value: unknown): value is AuthorityKind {
  return typeof value === 'string' && Object.hasOwn(AUTHORITY_KIND_SET, value);
}

export interface Authority {
  code: string;
  name: string;
  kind: AuthorityKind;
  jurisdictionCode: string;
}

/** How a township holds a penalty power: 赋权, 派驻, "1+X" coverage, or kept by the county. */
export type DelegationMode = 'DELEGATED' | 'STATIONED' | 'ONE_PLUS_X' | 'COUNTY_RETAINED';

export interface Delegation {
  townshipCode: string;
  mode: DelegationMode;
  authorityCode: string;
  validFrom: LocalDate;
  validUntil: LocalDate | null;
}

/** An item of the power list (权责清单 / 行政处罚事项目录). */
export interface PowerItem {
  code: string;
  name: string;
  domain: string;
  legalBasis: string;
  delegations: Delegation[];
}
