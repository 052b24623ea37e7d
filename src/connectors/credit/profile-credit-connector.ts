import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type { CreditProfile, CreditRecord } from '../../domain/types.ts';
import type { ProfileSource } from '../profiles/profile-source.ts';
import type { ConnectorWarningSink } from '../profiles/merged-source.ts';
import type { PageRequest } from '../paging.ts';
import type { CreditConnector } from './credit-connector.ts';

/**
 * The credit platform as `profiles/credit.yaml` describes it. What stays code is only what a
 * profile cannot say: which of the platform's lookups answers which question of the gateway.
 */
export class ProfileCreditConnector implements CreditConnector {
  readonly system = 'credit';

  constructor(private readonly source: ProfileSource) {}

  /** Who writes this system's change-feed cursors (its API, or its 前置库). */
  get cursorOrigin(): string {
    return this.source.cursorOrigin;
  }

  /** This connector reporting to one request's warnings; breaker, bulkhead and transport stay shared. */
  reportingTo(sink: ConnectorWarningSink): ProfileCreditConnector {
    return new ProfileCreditConnector(this.source.reportingTo(sink.droppedRecord));
  }

  profilesByUscc(usccs: readonly string[]): Promise<CreditProfile[]> {
    return this.source.by('creditProfile', 'tyshxydm', usccs);
  }

  recordsById(ids: readonly string[]): Promise<CreditRecord[]> {
    return this.source.by('creditRecord', 'jlbh', ids);
  }

  recordsBySubject(usccs: readonly string[]): Promise<CreditRecord[]> {
    return this.source.by('creditRecord', 'tyshxydm', usccs);
  }

  recordsByDecisionNo(decisionNos: readonly string[]): Promise<CreditRecord[]> {
    return this.source.by('creditRecord', 'cf_wsh', decisionNos);
  }

  listProfiles(page: PageRequest): Promise<Page<CreditProfile>> {
    return this.source.list('creditProfile', page);
  }

  listRecords(page: PageRequest): Promise<Page<CreditRecord>> {
    return this.source.list('creditRecord', page);
  }

  subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>> {
    return this.source.changes('registryEntry', cursor, limit);
  }

  recordChanges(cursor: string | null, limit: number): Promise<FeedPage<CreditRecord>> {
    return this.source.changes('creditRecord', cursor, limit);
  }

  ping(): Promise<void> {
    return this.source.ping();
  }

  /** Releases the transport's connections (the 前置库's pool); nothing to do over HTTP. */
  close(): Promise<void> {
    return this.source.close();
  }
}
