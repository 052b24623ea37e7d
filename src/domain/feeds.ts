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
export interface SubjectFeed {
  readonly system: AgencySystem;
  subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>>;
}

export interface Page<T> {
  total: number;
  items: T[];
}
