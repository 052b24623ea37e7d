import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Authority, Case, Clue, Jurisdiction, Penalty, PowerItem } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';

/**
 * The enforcement case system (执法, 综合行政执法): clues and their transfer, cases, penalty
 * decisions, and the reference data (jurisdictions, authorities, the power list).
 * Batch lookups return the records found, in no particular order.
 */
export interface EnforcementConnector {
  readonly system: 'enforcement';

  cluesById(ids: readonly string[]): Promise<Clue[]>;
  cluesBySubject(usccs: readonly string[]): Promise<Clue[]>;
  cluesByInspection(inspectionIds: readonly string[]): Promise<Clue[]>;
  listClues(page: PageRequest): Promise<Page<Clue>>;
  clueChanges(cursor: string | null, limit: number): Promise<FeedPage<Clue>>;

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
