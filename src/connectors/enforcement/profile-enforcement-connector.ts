import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Authority, Case, Clue, Jurisdiction, Penalty, PowerItem } from '../../domain/types.ts';
import type { ResilientHttpOptions } from '../http/index.ts';
import type { PageRequest } from '../paging.ts';
import { loadShippedProfile } from '../profiles/load-profile.ts';
import { ProfileSource, httpOptionsFromProfile } from '../profiles/profile-source.ts';
import type { ConnectorWarningSink } from '../profiles/merged-source.ts';
import { HttpRecordTransport } from '../transport/http-record-transport.ts';
import { ClueSubmissionWrite } from './clue-submission-write.ts';
import type { ClueSubmission, EnforcementConnector, SubmittedClue } from './enforcement-connector.ts';

/**
 * The enforcement case system as `profiles/enforcement.yaml` describes it; code only binds
 * lookups to questions, plus the clue submission write the profile cannot describe.
 */
export class ProfileEnforcementConnector implements EnforcementConnector {
  readonly system = 'enforcement';

  constructor(
    private readonly source: ProfileSource,
    private readonly clueWrite: ClueSubmissionWrite,
  ) {}

  /** Who writes this system's change-feed cursors (its API, or its 前置库). */
  get cursorOrigin(): string {
    return this.source.cursorOrigin;
  }

  /** This connector reporting to one request's warnings; breaker, bulkhead and transport stay shared. */
  reportingTo(sink: ConnectorWarningSink): ProfileEnforcementConnector {
    return new ProfileEnforcementConnector(this.source.reportingTo(sink.droppedRecord), this.clueWrite);
  }

  cluesById(ids: readonly string[]): Promise<Clue[]> {
    return this.source.by('clue', 'CLUE_ID', ids);
  }

  cluesBySubject(usccs: readonly string[]): Promise<Clue[]> {
    return this.source.by('clue', 'SUBJECT_USCC', usccs);
  }

  cluesByInspection(inspectionIds: readonly string[]): Promise<Clue[]> {
    return this.source.by('clue', 'INSPECTION_ID', inspectionIds);
  }

  listClues(page: PageRequest): Promise<Page<Clue>> {
    return this.source.list('clue', page);
  }

  clueChanges(cursor: string | null, limit: number): Promise<FeedPage<Clue>> {
    return this.source.changes('clue', cursor, limit);
  }

  submitClue(submission: ClueSubmission): Promise<SubmittedClue> {
    return this.clueWrite.submit(submission);
  }

  casesByNo(caseNos: readonly string[]): Promise<Case[]> {
    return this.source.by('case', 'CASE_NO', caseNos);
  }

  casesBySubject(usccs: readonly string[]): Promise<Case[]> {
    return this.source.by('case', 'SUBJECT_USCC', usccs);
  }

  casesByClue(clueIds: readonly string[]): Promise<Case[]> {
    return this.source.by('case', 'CLUE_ID', clueIds);
  }

  listCases(page: PageRequest): Promise<Page<Case>> {
    return this.source.list('case', page);
  }

  caseChanges(cursor: string | null, limit: number): Promise<FeedPage<Case>> {
    return this.source.changes('case', cursor, limit);
  }

  penaltiesByDecisionNo(decisionNos: readonly string[]): Promise<Penalty[]> {
    return this.source.by('penalty', 'DECISION_NO', decisionNos);
  }

  penaltiesBySubject(usccs: readonly string[]): Promise<Penalty[]> {
    return this.source.by('penalty', 'SUBJECT_USCC', usccs);
  }

  penaltiesByCase(caseNos: readonly string[]): Promise<Penalty[]> {
    return this.source.by('penalty', 'CASE_NO', caseNos);
  }

  penaltiesByPermit(permitNos: readonly string[]): Promise<Penalty[]> {
    return this.source.by('penalty', 'PERMIT_NO', permitNos);
  }

  listPenalties(page: PageRequest): Promise<Page<Penalty>> {
    return this.source.list('penalty', page);
  }

  penaltyChanges(cursor: string | null, limit: number): Promise<FeedPage<Penalty>> {
    return this.source.changes('penalty', cursor, limit);
  }

  jurisdictions(): Promise<Jurisdiction[]> {
    return this.source.all('jurisdiction');
  }

  authorities(): Promise<Authority[]> {
    return this.source.all('authority');
  }

  powerItems(): Promise<PowerItem[]> {
    return this.source.all('powerItem');
  }

  ping(): Promise<void> {
    return this.source.ping();
  }
}

/** The enforcement system over HTTP: its profile's transport, whose client the clue write shares. */
export function createEnforcementConnector(options: Omit<ResilientHttpOptions, 'system'>): ProfileEnforcementConnector {
  const profile = loadShippedProfile('enforcement');
  const transport = new HttpRecordTransport(profile.transport, httpOptionsFromProfile(profile, options));
  return new ProfileEnforcementConnector(
    new ProfileSource(profile, transport, options),
    new ClueSubmissionWrite(transport.http),
  );
}
