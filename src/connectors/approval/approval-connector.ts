import type { FeedPage, Page, SubjectFeed } from '../../domain/feeds.ts';
import type { Permit, Subject } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';

/**
 * The approval platform (审批, 政务服务平台): market subjects and the permits granted to them.
 * Batch lookups take any number of keys and return the records found, in no particular order;
 * unknown keys are simply absent.
 */
export interface ApprovalConnector extends SubjectFeed {
  readonly system: 'approval';
  subjectsByUscc(usccs: readonly string[]): Promise<Subject[]>;
  subjectsByLegacyRegNo(legacyRegNos: readonly string[]): Promise<Subject[]>;
  permitsByNo(permitNos: readonly string[]): Promise<Permit[]>;
  permitsByHolder(holderUsccs: readonly string[]): Promise<Permit[]>;
  listSubjects(page: PageRequest): Promise<Page<Subject>>;
  listPermits(page: PageRequest): Promise<Page<Permit>>;
  /** Permits changed after the cursor, oldest first; `null` starts from the beginning. */
  permitChanges(cursor: string | null, limit: number): Promise<FeedPage<Permit>>;
  /** Resolves when the platform answers a cheap real request; throws an `UpstreamError` otherwise. */
  ping(): Promise<void>;
}
