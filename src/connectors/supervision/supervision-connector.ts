import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Inspection } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';

/**
 * The supervision system (监管, 互联网+监管 / 双随机一公开): inspections, their findings and
 * rectification orders. Batch lookups return the records found, in no particular order.
 */
export interface SupervisionConnector {
  readonly system: 'supervision';
  inspectionsById(ids: readonly string[]): Promise<Inspection[]>;
  /**
   * Inspections naming any of these subject codes. Codes may be USCCs or legacy 15-digit
   * registration numbers, mixed; a record matches only on the code it actually carries, so
   * pass both of a subject's codes to find all of its inspections.
   */
  inspectionsBySubjectCode(codes: readonly string[]): Promise<Inspection[]>;
  inspectionsByPermitNo(permitNos: readonly string[]): Promise<Inspection[]>;
  listInspections(page: PageRequest): Promise<Page<Inspection>>;
  inspectionChanges(cursor: string | null, limit: number): Promise<FeedPage<Inspection>>;
  ping(): Promise<void>;
}
