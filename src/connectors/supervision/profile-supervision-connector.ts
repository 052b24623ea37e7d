import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Inspection } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';
import type { ConnectorWarningSink, MergedSource } from '../profiles/merged-source.ts';
import type { SupervisionConnector } from './supervision-connector.ts';

/** The domain fields inspections are looked up by; every source's profile must map each from one raw field. */
export const INSPECTION_LOOKUPS = ['id', 'subject.value', 'permitNo'] as const;

const byId = (inspection: Inspection) => inspection.id;

/**
 * The supervision platform as `profiles/supervision.yaml` describes it, with any further sources
 * configured for it (a provincial 双随机 platform): code only binds lookups to questions, asked in
 * domain terms so each source answers by its own field names.
 */
export class ProfileSupervisionConnector implements SupervisionConnector {
  readonly system = 'supervision';
  readonly sources: readonly string[];

  constructor(private readonly source: MergedSource) {
    this.sources = source.sources;
  }

  /** This connector reporting to one request's warnings; breaker, bulkhead and transport stay shared. */
  reportingTo(sink: ConnectorWarningSink): ProfileSupervisionConnector {
    return new ProfileSupervisionConnector(this.source.reportingTo(sink));
  }

  inspectionsById(ids: readonly string[]): Promise<Inspection[]> {
    return this.source.lookup('inspection', 'id', ids, byId);
  }

  inspectionsBySubjectCode(codes: readonly string[]): Promise<Inspection[]> {
    return this.source.lookup('inspection', 'subject.value', codes, byId);
  }

  inspectionsByPermitNo(permitNos: readonly string[]): Promise<Inspection[]> {
    return this.source.lookup('inspection', 'permitNo', permitNos, byId);
  }

  listInspections(page: PageRequest): Promise<Page<Inspection>> {
    return this.source.list('inspection', page);
  }

  /** Who writes the change-feed cursors of one of the sources. */
  cursorOriginOf(source: string): string {
    return this.source.cursorOriginOf(source);
  }

  inspectionChanges(cursor: string | null, limit: number, source = this.sources[0]!): Promise<FeedPage<Inspection>> {
    return this.source.changes('inspection', source, cursor, limit);
  }

  ping(): Promise<void> {
    return this.source.ping();
  }
}
