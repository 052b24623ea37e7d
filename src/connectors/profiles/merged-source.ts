import type { FeedPage, Page } from '../../domain/feeds.ts';
import { compareInstants } from '../../domain/china-time.ts';
import type { AgencySystem } from '../../domain/types.ts';
import { UpstreamError } from '../../platform/errors.ts';
import type { UpstreamErrorCode } from '../../platform/errors.ts';
import type { DroppedRecordListener } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import type { ProfileSource } from './profile-source.ts';

/** One source of a system that failed while the others answered (or all failed). */
export interface SourceFailure {
  system: AgencySystem;
  /** The source's id (`profile.source`); the system's own source is named after the system. */
  source: string;
  resource: string;
  code: UpstreamErrorCode;
  message: string;
}

/** Told of every source that failed a read; the gateway turns it into an `UPSTREAM_SOURCE_UNAVAILABLE` warning. */
export type SourceFailureListener = (failure: SourceFailure) => void;

/** Where one request's connector calls report what its answer lacks (RequestWarnings). */
export interface ConnectorWarningSink {
  droppedRecord: DroppedRecordListener;
  sourceUnavailable: SourceFailureListener;
}

/**
 * One agency system served by several sources (the county's supervision system and a provincial
 * 双随机 platform), asked as one. Every lookup goes to every source at once; the answers are merged
 * and deduplicated by the record's identity. When some sources fail the others' records are still
 * returned and each failed source is reported, so a partial answer never looks complete; only when
 * every source fails does the read fail, with the first source's error.
 *
 * On a conflict (one id from two sources) the copy updated last wins, as it does in the loop index
 * (its upsert keeps the row with the newer `upstream_updated_at`), so `Subject.inspections` and
 * `loopGaps` show the same copy; on equal update times the source listed first (the system's own)
 * wins, being the system of record.
 */
export class MergedSource {
  readonly system: AgencySystem;
  /** Source ids, the system's own first. */
  readonly sources: readonly string[];

  constructor(
    private readonly members: readonly ProfileSource[],
    private readonly onSourceFailure?: SourceFailureListener,
  ) {
    if (members.length === 0) throw new Error('a system needs at least one source');
    this.system = members[0]!.system;
    this.sources = members.map((member) => member.source);
  }

  /** These sources reporting to one request's warnings: their drops and each source's failure. */
  reportingTo(sink: ConnectorWarningSink): MergedSource {
    return new MergedSource(
      this.members.map((member) => member.reportingTo(sink.droppedRecord)),
      sink.sourceUnavailable,
    );
  }

  /** The one source named `source`, for what cannot be merged (each source's change feed has its own cursor). */
  member(source: string): ProfileSource {
    const member = this.members.find((candidate) => candidate.source === source);
    if (!member) throw new Error(`the ${this.system} system has no source "${source}"`);
    return member;
  }

  /** Records whose domain field `domainPath` is one of `keys`, from every source, one per `identity`. */
  async lookup<T>(
    mapping: string,
    domainPath: string,
    keys: readonly string[],
    identity: (record: T) => string,
  ): Promise<T[]> {
    if (this.members.length === 1) return this.members[0]!.lookup<T>(mapping, domainPath, keys);
    const answers = await this.settle(mapping, (member) => member.lookup<T>(mapping, domainPath, keys));
    return mergeByIdentity(answers, identity);
  }

  /**
   * One page over the sources one after another (the system's own first). The total is the sum of
   * the sources' totals: a record both hold is counted, and listed, once per source, because
   * deduplicating across pages would need every page of every source. A failed source is reported
   * and its records are missing from the page and the total.
   */
  async list<T>(mapping: string, page: PageRequest): Promise<Page<T>> {
    if (this.members.length === 1) return this.members[0]!.list<T>(mapping, page);
    let skip = (page.page - 1) * page.pageSize;
    let total = 0;
    const items: T[] = [];
    const failures: UpstreamError[] = [];
    for (const member of this.members) {
      const wanted = page.pageSize - items.length;
      try {
        // Every source is asked, for its total, even once the page is full.
        const part = await member.listFrom<T>(mapping, skip, Math.max(wanted, 1));
        total += part.total;
        if (wanted > 0) items.push(...part.items.slice(0, wanted));
        skip = Math.max(0, skip - part.total);
      } catch (error) {
        failures.push(this.failed(member, mapping, error));
      }
    }
    if (failures.length === this.members.length) throw failures[0]!;
    return { total, items };
  }

  /** Who writes that source's change-feed cursors. */
  cursorOriginOf(source: string): string {
    return this.member(source).cursorOrigin;
  }

  changes<T>(mapping: string, source: string, cursor: string | null, limit: number): Promise<FeedPage<T>> {
    return this.member(source).changes<T>(mapping, cursor, limit);
  }

  /** Every source must answer: a system with a source down is degraded. */
  async ping(): Promise<void> {
    await Promise.all(this.members.map((member) => member.ping()));
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((member) => member.close()));
  }

  /** Each source's answer; failed sources reported and left out, unless all failed (then the first's error). */
  private async settle<A>(mapping: string, read: (member: ProfileSource) => Promise<A>): Promise<A[]> {
    const settled = await Promise.allSettled(this.members.map(read));
    const answers: A[] = [];
    const failures: UpstreamError[] = [];
    settled.forEach((result, index) => {
      if (result.status === 'fulfilled') answers.push(result.value);
      else failures.push(this.failed(this.members[index]!, mapping, result.reason));
    });
    if (answers.length === 0) throw failures[0]!;
    return answers;
  }

  /** Reports a source's failure; anything but an agency's failure is the gateway's own fault and is thrown. */
  private failed(member: ProfileSource, mapping: string, error: unknown): UpstreamError {
    if (!(error instanceof UpstreamError)) throw error;
    this.onSourceFailure?.({
      system: this.system,
      source: member.source,
      resource: mapping,
      code: error.code,
      message: error.message,
    });
    return error;
  }
}

/** One record per identity; the copy updated last wins, then the earlier source's. */
function mergeByIdentity<T>(answers: readonly T[][], identity: (record: T) => string): T[] {
  const merged = new Map<string, T>();
  for (const records of answers) {
    for (const record of records) {
      const key = identity(record);
      const held = merged.get(key);
      if (held === undefined || updatedLater(record, held)) merged.set(key, record);
    }
  }
  return [...merged.values()];
}

function updatedLater(candidate: unknown, held: unknown): boolean {
  const a = (candidate as { updatedAt?: unknown }).updatedAt;
  const b = (held as { updatedAt?: unknown }).updatedAt;
  return typeof a === 'string' && typeof b === 'string' && compareInstants(a, b) > 0;
}
