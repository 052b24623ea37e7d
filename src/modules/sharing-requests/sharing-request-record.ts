import type { Role } from '../../auth/principal.ts';
import type { AgencySystem, AuthorityKind, Instant, LocalDate } from '../../domain/types.ts';

export type SharingRequestStatus = 'PENDING' | 'APPROVED' | 'PARTIALLY_APPROVED' | 'REJECTED';
export type SharingRequestStepKind = 'SUBMITTED' | Exclude<SharingRequestStatus, 'PENDING'>;

/** One step of a request's history: who did what, when and why. */
export interface SharingRequestStepRecord {
  seq: number;
  kind: SharingRequestStepKind;
  at: Instant;
  actor: string;
  authorityCode: string;
  reason: string | null;
  fields: string[];
}

/** A sharing request (共享申请) as stored, with its history oldest first. */
export interface SharingRequestRecord {
  id: string;
  consumerAuthorityCode: string;
  consumerAuthorityKind: AuthorityKind;
  ownerSystem: AgencySystem;
  ownerAuthorityCode: string;
  fields: string[];
  purpose: string;
  matters: string[];
  matterPrefixes: string[];
  roles: Role[];
  legalBasis: string;
  validFrom: Instant;
  validUntil: Instant;
  status: SharingRequestStatus;
  submittedAt: Instant;
  submittedBy: string;
  answerDueOn: LocalDate;
  answeredAt: Instant | null;
  answeredBy: string | null;
  grantedFields: string[];
  answerReason: string | null;
  grantId: string | null;
  history: SharingRequestStepRecord[];
}
