import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Inspection } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';

/**
 * The supervision system (监管, 互联网+监管 / 双随机一公开): inspections, their findings and
 * rectification orders. Batch lookups return the records found, in no particular order.
 */
export interface SupervisionConnector {
  readonly system: 'supervision';
  /** Its sources' ids, its own first (`supervision`), then any configured beside it (EXTRA_PROFILES_DIR). */
  readonly sources: readonly string[];
  inspectionsById(ids: readonly string[]): Promise<Inspection[]>;
  /**
   * Inspections naming any of these subject codes. Codes may be USCCs or legacy 15-digit
   * registration numbers, mixed; a record matches only on the code it actually carries, so
   * pass both of a subject's codes to find all of its inspections.
   */
  inspectionsBySubjectCode(codes: readonly string[]): Promise<Inspection[]>;
  inspectionsByPermitNo(permitNos: readonly string[]): Promise<Inspection[]>;
  listInspections(page: PageRequest): Promise<Page<Inspection>>;
  /** One source's change feed (default: the system's own); each source has a cursor of its own. */
  inspectionChanges(cursor: string | null, limit: number, source?: string): Promise<FeedPage<Inspection>>;
  /** Who writes the change-feed cursors of one of `sources` (see `CursorOrigin`). */
  cursorOriginOf?(source: string): string;
  ping(): Promise<void>;
}
