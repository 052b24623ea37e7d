/**
 * The life of a clue transfer as the receiver reports it. A transfer is SENT; the receiver
 * acknowledges it (RECEIVED), answers (ACCEPTED or RETURNED), then for an accepted clue files a
 * case or decides not to (CASE_FILED / NOT_FILED), and follows the case to DECIDED, EXECUTED and
 * CLOSED. RETURNED, NOT_FILED and CLOSED end it.
 */
export type TransferStatus =
  'SENT' | 'RECEIVED' | 'ACCEPTED' | 'RETURNED' | 'CASE_FILED' | 'NOT_FILED' | 'DECIDED' | 'EXECUTED' | 'CLOSED';

/** A step the receiver reports: every status but SENT, which only sending produces. */
export type ReportedStep = Exclude<TransferStatus, 'SENT'>;

export const TRANSFER_STATUSES: readonly TransferStatus[] = [
  'SENT',
  'RECEIVED',
  'ACCEPTED',
  'RETURNED',
  'CASE_FILED',
  'NOT_FILED',
  'DECIDED',
  'EXECUTED',
  'CLOSED',
];

const NEXT: Readonly<Record<TransferStatus, readonly ReportedStep[]>> = {
  SENT: ['RECEIVED'],
  RECEIVED: ['ACCEPTED', 'RETURNED'],
  ACCEPTED: ['CASE_FILED', 'NOT_FILED'],
  RETURNED: [],
  CASE_FILED: ['DECIDED', 'CLOSED'],
  NOT_FILED: [],
  // A decision not to penalise (不予处罚) closes the case with nothing to execute.
  DECIDED: ['EXECUTED', 'CLOSED'],
  EXECUTED: ['CLOSED'],
  CLOSED: [],
};

export function allowedSteps(from: TransferStatus): readonly ReportedStep[] {
  return NEXT[from];
}

export function isLegalStep(from: TransferStatus, step: ReportedStep): boolean {
  return NEXT[from].includes(step);
}

/** Until the receiver accepts or returns the clue, its answer deadline runs. */
export function isAwaitingAnswer(status: TransferStatus): boolean {
  return status === 'SENT' || status === 'RECEIVED';
}

/** The one extension of the answer deadline is open while the transfer is unanswered, not yet extended, and not overdue. */
export function isExtendable(
  transfer: { status: TransferStatus; extended: boolean; answerDueOn: string },
  today: string,
): boolean {
  return isAwaitingAnswer(transfer.status) && !transfer.extended && today <= transfer.answerDueOn;
}

export function isAnswer(step: ReportedStep): boolean {
  return step === 'ACCEPTED' || step === 'RETURNED';
}

/** What a step must carry: a return or a decision not to file needs its reason; a filed case its number. */
export interface StepDetails {
  reason: string | null;
  caseNo: string | null;
  decisionNo: string | null;
}

export function missingDetails(step: ReportedStep, details: StepDetails): string[] {
  const missing: string[] = [];
  if ((step === 'RETURNED' || step === 'NOT_FILED') && !details.reason) missing.push('reason');
  if (step === 'CASE_FILED' && !details.caseNo) missing.push('caseNo');
  if (step === 'DECIDED' && !details.decisionNo) missing.push('decisionNo');
  return missing;
}
