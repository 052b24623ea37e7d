import type { FeedPage, Page, SubjectFeed } from '../../domain/feeds.ts';
import type { CreditProfile, CreditRecord } from '../../domain/types.ts';
import type { PageRequest } from '../paging.ts';

/**
 * The public credit platform (信用, 公共信用信息平台): credit grades and dishonesty listings,
 * and credit records (penalty publicity, commitments, repairs). Its subject feed reports
 * subjects without township or legacy number, which the platform does not hold.
 */
export interface CreditConnector extends SubjectFeed {
  readonly system: 'credit';
  profilesByUscc(usccs: readonly string[]): Promise<CreditProfile[]>;
  recordsById(ids: readonly string[]): Promise<CreditRecord[]>;
  recordsBySubject(usccs: readonly string[]): Promise<CreditRecord[]>;
  /** Publicity records of these penalty decisions (行政处罚决定书文号). */
  recordsByDecisionNo(decisionNos: readonly string[]): Promise<CreditRecord[]>;
  listProfiles(page: PageRequest): Promise<Page<CreditProfile>>;
  listRecords(page: PageRequest): Promise<Page<CreditRecord>>;
  recordChanges(cursor: string | null, limit: number): Promise<FeedPage<CreditRecord>>;
  ping(): Promise<void>;
}
