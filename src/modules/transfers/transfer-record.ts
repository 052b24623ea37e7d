import type { LocalDate } from '../../domain/types.ts';
import type { UpstreamErrorCode } from '../../platform/errors.ts';
import type { ReportedStep, TransferStatus } from './transfer-states.ts';

/** A transfer as the gateway stores it. */
export interface TransferRecord {
  id: string;
  subjectUscc: string;
  townshipCode: string;
  powerItemCode: string;
  findings: string;
  evidenceRefs: string[];
  inspectionId: string | null;
  /** Why the supervision system could not check `inspectionId` when the clue was sent; null when it was checked or none named. */
  inspectionUnchecked: UpstreamErrorCode | null;
  senderCode: string;
  receiverCode: string;
  routedBy: string;
  status: TransferStatus;
  receivedOn: LocalDate;
  answerDueOn: LocalDate;
  extended: boolean;
  answeredOn: LocalDate | null;
  caseNo: string | null;
  decisionNo: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** SENT and EXTENDED are recorded like the reported steps, so the history is one list. */
export type StepKind = 'SENT' | ReportedStep | 'EXTENDED';

export interface TransferStepRecord {
  seq: number;
  kind: StepKind;
  fromStatus: TransferStatus | null;
  toStatus: TransferStatus;
  actorSubject: string;
  actorAuthorityCode: string;
  at: Date;
  reason: string | null;
  caseNo: string | null;
  decisionNo: string | null;
  note: string | null;
}

export interface DeliveryRecord {
  status: 'PENDING' | 'DELIVERED' | 'DEAD';
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
  stalledAt: Date | null;
  deadAt: Date | null;
  upstreamClueId: string | null;
}

export interface TransferWithHistory extends TransferRecord {
  steps: TransferStepRecord[];
  delivery: DeliveryRecord | null;
}
