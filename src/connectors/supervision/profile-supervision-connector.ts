import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Inspection } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';
import type { ProfileSource } from '../profiles/profile-source.ts';
import type { SupervisionConnector } from './supervision-connector.ts';

/** The supervision platform as `profiles/supervision.yaml` describes it; code only binds lookups to questions. */
export class ProfileSupervisionConnector implements SupervisionConnector {
  readonly system = 'supervision';

  constructor(private readonly source: ProfileSource) {}

  inspectionsById(ids: readonly string[]): Promise<Inspection[]> {
    return this.source.by('inspection', 'inspection_id', ids);
  }

  inspectionsBySubjectCode(codes: readonly string[]): Promise<Inspection[]> {
    return this.source.by('inspection', 'subject_code', codes);
  }

  inspectionsByPermitNo(permitNos: readonly string[]): Promise<Inspection[]> {
    return this.source.by('inspection', 'permit_no', permitNos);
  }

  listInspections(page: PageRequest): Promise<Page<Inspection>> {
    return this.source.list('inspection', page);
  }

  inspectionChanges(cursor: string | null, limit: number): Promise<FeedPage<Inspection>> {
    return this.source.changes('inspection', cursor, limit);
  }

  ping(): Promise<void> {
    return this.source.ping();
  }
}
