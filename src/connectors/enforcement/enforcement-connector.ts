import type { CursorOrigin, FeedPage, Page } from '../../domain/feeds.ts';
import type { Authority, Case, Clue, Jurisdiction, Penalty, PowerItem } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';

/** A clue another authority transfers (部门移送), as written into the case system. */
export interface ClueSubmission {
  /** The gateway's transfer id: the case system keeps one clue per id, so resubmitting is safe. */
  transferId: string;
  subjectUscc: string;
  powerItemCode: string;
  senderCode: string;
  receiverCode: string;
  townshipCode: string;
  inspectionId: string | null;
  /** When the sender sent it (epoch ms). */
  sentAtMs: number;
}

export interface SubmittedClue {
  clueId: string;
  /** False when the case system already had a clue for this transfer (a redelivery). */
  created: boolean;
}

/**
 * The enforcement case system (执法, 综合行政执法): clues and their transfer, cases, penalty
 * decisions, and the reference data (jurisdictions, authorities, the power list).
 * Batch lookups return the records found, in no particular order.
 */
export interface EnforcementConnector extends CursorOrigin {
  readonly system: 'enforcement';

  cluesById(ids: readonly string[]): Promise<Clue[]>;
  cluesBySubject(usccs: readonly string[]): Promise<Clue[]>;
  cluesByInspection(inspectionIds: readonly string[]): Promise<Clue[]>;
  listClues(page: PageRequest): Promise<Page<Clue>>;
  clueChanges(cursor: string | null, limit: number): Promise<FeedPage<Clue>>;
  /** Writes a transferred clue; idempotent on its transfer id, so it may be retried. */
  submitClue(submission: ClueSubmission): Promise<SubmittedClue>;

  casesByNo(caseNos: readonly string[]): Promise<Case[]>;
  casesBySubject(usccs: readonly string[]): Promise<Case[]>;
  casesByClue(clueIds: readonly string[]): Promise<Case[]>;
  listCases(page: PageRequest): Promise<Page<Case>>;
  caseChanges(cursor: string | null, limit: number): Promise<FeedPage<Case>>;

  penaltiesByDecisionNo(decisionNos: readonly string[]): Promise<Penalty[]>;
  penaltiesBySubject(usccs: readonly string[]): Promise<Penalty[]>;
  penaltiesByCase(caseNos: readonly string[]): Promise<Penalty[]>;
  /** Penalties that suspend or revoke any of these permits. */
  penaltiesByPermit(permitNos: readonly string[]): Promise<Penalty[]>;
  listPenalties(page: PageRequest): Promise<Page<Penalty>>;
  penaltyChanges(cursor: string | null, limit: number): Promise<FeedPage<Penalty>>;

  /** The whole province → township tree (one county is small enough to fetch at once). */
  jurisdictions(): Promise<Jurisdiction[]>;
  authorities(): Promise<Authority[]>;
  /** The power list (权责清单) with each item's delegations to townships. */
  powerItems(): Promise<PowerItem[]>;

  ping(): Promise<void>;
}
