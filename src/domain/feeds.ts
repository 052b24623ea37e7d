import type { AgencySystem, Instant } from './types.ts';

/** One page of an agency's change feed; pass `nextCursor` back to continue. */
export interface FeedPage<T> {
  items: T[];
  nextCursor: string;
  hasMore: boolean;
}

/** What the subject registry keeps of a market subject, whichever agency reported it. */
export interface RegistryEntry {
  uscc: string;
  legacyRegNo: string | null;
  name: string;
  townshipCode: string | null;
  source: AgencySystem;
  updatedAt: Instant;
}

/** A change feed of market subjects; the approval and credit connectors each offer one. */
/** An agency system whose change feeds' cursors are all written by one source (its API, its 前置库). */
export interface CursorOrigin {
  /** Who writes the cursors (`RecordTransport.cursorOrigin`); a feed that changes source starts again. */
  readonly cursorOrigin?: string;
}

export interface SubjectFeed extends CursorOrigin {
  readonly system: AgencySystem;
  subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>>;
}

export interface Page<T> {
  total: number;
  items: T[];
}
