/**
 * What each GraphQL type's resolvers receive as their parent: domain records straight from the
 * connectors, or the small shapes below where the GraphQL type is assembled by the gateway.
 */
import type {
  AgencySystem,
  Case,
  Clue,
  CreditRecord,
  Inspection,
  Instant,
  LegalRepresentative,
  Penalty,
  Permit,
  Subject,
} from '../../domain/types.ts';

export type {
  Authority as AuthorityParent,
  Case as CaseParent,
  Clue as ClueParent,
  CreditProfile as CreditParent,
  CreditRecord as CreditRecordParent,
  Inspection as InspectionParent,
  Jurisdiction as JurisdictionParent,
  Penalty as PenaltyParent,
  Permit as PermitParent,
  PowerItem as PowerItemParent,
  Delegation as DelegationParent,
} from '../../domain/types.ts';

/** A subject as the registry knows it; details come from the approval platform on demand. */
export interface SubjectParent {
  uscc: string;
  legacyRegNo: string | null;
  name: string;
  townshipCode: string | null;
  /** Records loaded for the whole page this row came in (a `subjects` list); absent elsewhere. */
  page?: PageRecords;
}

/** A legal representative, with the township of the subject it represents: where its row lies. */
export interface LegalRepresentativeParent extends LegalRepresentative {
  townshipCode: string;
}

/** A record as its loader settled it for one subject: the value, or the error its fields answer with. */
export type Settled<T> = T | Error;

/** What a row of a `subjects` page carries for its fields, loaded once for the whole page (page-records.ts). */
export interface PageRecords {
  enterprise?: Settled<Subject | null>;
  permits?: Settled<Permit[]>;
}

/** Money is carried as an integer number of fen until a field asks for a unit. */
export type MoneyParent = number;

export interface CommitmentParent {
  type: string;
  content: string;
  fulfilment: 'FULFILLED' | 'BREACHED' | 'PENDING_VERIFICATION';
  permitNo: string | null;
}

export type LoopRecordParent = Permit | Inspection | Clue | Case | Penalty | CreditRecord;

export interface TimelineEventParent {
  at: Instant;
  stage: 'APPROVAL' | 'SUPERVISION' | 'ENFORCEMENT' | 'CREDIT';
  kind:
    | 'PERMIT_GRANTED'
    | 'INSPECTED'
    | 'CLUE_RECEIVED'
    | 'CASE_FILED'
    | 'PENALTY_DECIDED'
    | 'PENALTY_EXECUTED'
    | 'CASE_CLOSED'
    | 'CREDIT_PUBLISHED';
  summary: string;
  recordId: string;
  record: LoopRecordParent;
}

export interface UnavailableSystemParent {
  system: AgencySystem;
  /** The one source of the system that failed, when others answered; null when the system gave nothing. */
  source: string | null;
  code: string;
  message: string;
}

export interface TimelineParent {
  events: TimelineEventParent[];
  unavailableSystems: UnavailableSystemParent[];
}
