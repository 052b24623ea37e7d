import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type { Permit, Subject } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';
import type { ProfileSource } from '../profiles/profile-source.ts';
import type { ConnectorWarningSink } from '../profiles/merged-source.ts';
import type { ApprovalConnector } from './approval-connector.ts';

/** The approval platform as `profiles/approval.yaml` describes it; code only binds lookups to questions. */
export class ProfileApprovalConnector implements ApprovalConnector {
  readonly system = 'approval';

  constructor(private readonly source: ProfileSource) {}

  /** Who writes this system's change-feed cursors (its API, or its 前置库). */
  get cursorOrigin(): string {
    return this.source.cursorOrigin;
  }

  /** This connector reporting to one request's warnings; breaker, bulkhead and transport stay shared. */
  reportingTo(sink: ConnectorWarningSink): ProfileApprovalConnector {
    return new ProfileApprovalConnector(this.source.reportingTo(sink.droppedRecord));
  }

  subjectsByUscc(usccs: readonly string[]): Promise<Subject[]> {
    return this.source.by('subject', 'uscc', usccs);
  }

  subjectsByLegacyRegNo(legacyRegNos: readonly string[]): Promise<Subject[]> {
    return this.source.by('subject', 'legacyRegNo', legacyRegNos);
  }

  permitsByNo(permitNos: readonly string[]): Promise<Permit[]> {
    return this.source.by('permit', 'permitNo', permitNos);
  }

  permitsByHolder(holderUsccs: readonly string[]): Promise<Permit[]> {
    return this.source.by('permit', 'holderUscc', holderUsccs);
  }

  listSubjects(page: PageRequest): Promise<Page<Subject>> {
    return this.source.list('subject', page);
  }

  listPermits(page: PageRequest): Promise<Page<Permit>> {
    return this.source.list('permit', page);
  }

  subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>> {
    return this.source.changes('registryEntry', cursor, limit);
  }

  permitChanges(cursor: string | null, limit: number): Promise<FeedPage<Permit>> {
    return this.source.changes('permit', cursor, limit);
  }

  ping(): Promise<void> {
    return this.source.ping();
  }
}
