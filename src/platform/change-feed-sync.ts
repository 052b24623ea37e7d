import type { FeedPage } from '../domain/feeds.ts';
import type { AgencySystem, Instant } from '../domain/types.ts';
import { UpstreamBadResponseError } from './errors.ts';
import { publicFailure, type PublicFailure } from './public-failure.ts';

/** What a sync logs through; the gateway's pino logger is one. */
export interface SyncLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** How current the gateway is with one feed. */
export interface FeedFreshness {
  /** `<system>.<resource>`, as the cursor is stored. */
  feed: string;
  /** When a page of this feed was last stored; null if never. */
  syncedAt: Instant | null;
  /** Records read from the feed in total. */
  records: number;
  /**
   * Why the latest sync of this feed failed, as a caller may be told it (the log has the raw
   * error: a driver's message can name hosts and SQL); null when it succeeded or has not run.
   */
  lastError: PublicFailure | null;
}

/** Where each feed's cursor is kept (the `sync_cursor` table). */
export interface FeedCursorReader {
  cursor(feed: string): Promise<{ cursor: string } | null>;
  cursors(): Promise<ReadonlyArray<{ feed: string; syncedAt: Instant; records: number }>>;
}

/** One change feed the sync follows. */
export interface FollowedFeed<T = unknown> {
  /** `<system>.<resource>`: the key its cursor is stored under. */
  readonly name: string;
  /**
   * Who writes this feed's cursors: an agency's API, its 前置库 (`RecordTransport.cursorOrigin`).
   * Their cursors mean different things, so a cursor stored while another source fed it is never
   * handed to this one: the feed is read again from its start instead.
   */
  readonly origin?: string | undefined;
  read(cursor: string | null, limit: number): Promise<FeedPage<T>>;
  /**
   * Stores the page's items together with `page.nextCursor`, in one transaction. `backfill` is
   * true while the feed had no stored cursor when this sync began (its first full read).
   */
  store(page: FeedPage<T>, backfill: boolean): Promise<void>;
}

/** Some feeds failed; the others were synced all the same, and `counts` has them. */
export class FeedSyncError extends Error {
  constructor(
    readonly counts: Record<string, number>,
    readonly failures: Record<string, unknown>,
    what = 'feed sync',
  ) {
    super(`${what} failed for ${Object.keys(failures).join(', ')}`);
    this.name = 'FeedSyncError';
  }
}

export interface ChangeFeedSyncOptions {
  /** Records asked of a feed per request. */
  pageSize?: number;
  /** What is being synced, for log lines: `subject registry`, `loop index`. */
  label?: string;
  /** Told after a sync that stored records (e.g. to recompute what depends on them); its failure is only logged. */
  onStored?: (counts: Record<string, number>) => Promise<void>;
  /**
   * How many feeds without a stored cursor (a first backfill, which decides no events) are read at
   * once; feeds with a cursor are always read one after another, in order. 1 by default: on PGlite
   * every transaction shares one session, so only a PostgreSQL store may read several.
   */
  backfillConcurrency?: number;
  /**
   * While backfilling, pages are joined until they hold this many records, and stored with the
   * last one's cursor in one transaction: fewer commits and statements for the same rows. One
   * page by default; pages of a feed with a cursor are always stored one by one (their events).
   */
  backfillBatchRecords?: number;
}

const DEFAULT_PAGE_SIZE = 500;
/** The first retry after a failed sync; each further failure doubles it, up to the interval. */
const RETRY_AFTER_FAILURE_MS = 1_000;

/**
 * Follows agencies' change feeds into the gateway's store. Each page is stored together with the
 * cursor that follows it, in one transaction, so a crash or a failing feed resumes exactly after
 * the last stored page: nothing is lost and nothing is read twice.
 */
export class ChangeFeedSync {
  readonly #cursors: FeedCursorReader;
  readonly #feeds: readonly FollowedFeed[];
  readonly #logger: SyncLogger;
  readonly #pageSize: number;
  readonly #label: string;
  readonly #onStored: ChangeFeedSyncOptions['onStored'];
  readonly #backfillConcurrency: number;
  readonly #backfillBatchRecords: number;
  readonly #lastErrors = new Map<string, PublicFailure>();
  #running: Promise<Record<string, number>> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;
  /** Set by stop(): the sync under way ends after the page it is storing. */
  #halting = false;

  constructor(
    cursors: FeedCursorReader,
    feeds: readonly FollowedFeed[],
    logger: SyncLogger,
    options: ChangeFeedSyncOptions = {},
  ) {
    this.#cursors = cursors;
    this.#feeds = feeds;
    this.#logger = logger;
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#label = options.label ?? 'change feeds';
    this.#onStored = options.onStored;
    this.#backfillConcurrency = options.backfillConcurrency ?? 1;
    this.#backfillBatchRecords = options.backfillBatchRecords ?? 0;
  }

  /**
   * Reads every feed to its end and returns the records read per feed. A call while a sync is
   * under way joins it rather than starting a second one. Throws (see `failure`), after syncing
   * the other feeds, when any feed failed.
   */
  syncOnce(): Promise<Record<string, number>> {
    if (this.#running) return this.#running;
    this.#halting = false;
    this.#running = this.#syncAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /**
   * Syncs every `intervalMs` after the previous sync ends. A failed sync is retried sooner, after
   * 1 s, 2 s, 4 s… up to `intervalMs`, so a feed that failed once (at start, say) is not left stale
   * for a whole interval. `lastFailed`: the caller's own sync just failed, so begin with the retry.
   */
  start(intervalMs: number, options: { lastFailed?: boolean } = {}): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    let failures = options.lastFailed ? 1 : 0;
    const delay = () =>
      failures === 0 ? intervalMs : Math.min(intervalMs, RETRY_AFTER_FAILURE_MS * 2 ** (failures - 1));
    const tick = async () => {
      try {
        const counts = await this.syncOnce();
        failures = 0;
        this.#logger.info({ counts }, `${this.#label} synced`);
      } catch (error) {
        failures += 1;
        this.#logger.warn({ err: error, retryInMs: delay() }, `${this.#label} sync failed; retrying`);
      }
      if (this.#scheduled) this.#timer = setTimeout(tick, delay()).unref();
    };
    this.#timer = setTimeout(tick, delay()).unref();
  }

  /** Stops the schedule; resolves once a sync under way has stored its current page. */
  async stop(): Promise<void> {
    this.#scheduled = false;
    this.#halting = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  async freshness(): Promise<FeedFreshness[]> {
    const stored = new Map((await this.#cursors.cursors()).map((cursor) => [cursor.feed, cursor]));
    return this.#feeds.map(({ name }) => {
      const cursor = stored.get(name);
      return {
        feed: name,
        syncedAt: cursor?.syncedAt ?? null,
        records: cursor?.records ?? 0,
        lastError: this.#lastErrors.get(name) ?? null,
      };
    });
  }

  /**
   * The feeds whose latest sync failed, with when a page of each was last stored: what an answer
   * computed from them must say it lacks. Asks the store only when some feed failed.
   */
  async failingFeeds(): Promise<Array<FeedFreshness & { lastError: PublicFailure }>> {
    if (this.#lastErrors.size === 0) return [];
    return (await this.freshness()).filter(
      (feed): feed is FeedFreshness & { lastError: PublicFailure } => feed.lastError !== null,
    );
  }

  /** The error thrown when some feeds failed; subclasses name their own. */
  protected failure(counts: Record<string, number>, failures: Record<string, unknown>): Error {
    return new FeedSyncError(counts, failures, `${this.#label} sync`);
  }

  async #syncAll(): Promise<Record<string, number>> {
    const synced: Record<string, number> = {};
    const failures: Record<string, unknown> = {};
    const syncRecorded = async (feed: FollowedFeed) => {
      try {
        synced[feed.name] = await this.#syncFeed(feed);
        this.#lastErrors.delete(feed.name);
      } catch (error) {
        failures[feed.name] = error;
        this.#lastErrors.set(feed.name, publicFailure(error));
        this.#logger.warn({ err: error, feed: feed.name }, 'feed sync failed; its cursor stays where it was');
      }
    };
    const backfilling = this.#backfillConcurrency > 1 ? await this.#feedsWithoutCursor() : [];
    await inParallel(backfilling, this.#backfillConcurrency, syncRecorded);
    for (const feed of this.#feeds) if (!backfilling.includes(feed)) await syncRecorded(feed);
    // In the feeds' own order, whichever finished first.
    const counts = Object.fromEntries(
      this.#feeds.filter((feed) => feed.name in synced).map((feed) => [feed.name, synced[feed.name]!]),
    );
    if (this.#onStored && Object.values(counts).some((count) => count > 0)) {
      await this.#onStored(counts).catch((error: unknown) =>
        this.#logger.warn({ err: error }, `after storing ${this.#label} records`),
      );
    }
    if (Object.keys(failures).length > 0) throw this.failure(counts, failures);
    return counts;
  }

  /** None when the cursors cannot be read: every feed then goes in turn, each failing on its own as before. */
  async #feedsWithoutCursor(): Promise<FollowedFeed[]> {
    const cursors = await this.#cursors.cursors().catch(() => null);
    if (cursors === null) return [];
    const stored = new Set(cursors.map((cursor) => cursor.feed));
    return this.#feeds.filter((feed) => !stored.has(feed.name));
  }

  /**
   * Reads a feed to its end. The next page is requested while the current one is stored, so the
   * agency's work and the store's overlap; if storing fails, the page read ahead is dropped.
   */
  async #syncFeed(feed: FollowedFeed): Promise<number> {
    let cursor = this.#ownCursor(feed, (await this.#cursors.cursor(feed.name))?.cursor ?? null);
    const backfill = cursor === null;
    const batchRecords = backfill ? this.#backfillBatchRecords : 0;
    let read = 0;
    let reading = this.#readBatch(feed, cursor, batchRecords);
    for (;;) {
      const page = await reading;
      if (page.hasMore && page.items.length === 0 && page.nextCursor === cursor) {
        this.#logger.warn(
          { feed: feed.name, cursor },
          'the feed reports more records but does not advance past its cursor',
        );
        throw new UpstreamBadResponseError(systemOf(feed), 'cursor_not_advancing');
      }
      const ahead = page.hasMore && !this.#halting ? this.#readBatch(feed, page.nextCursor, batchRecords) : null;
      ahead?.catch(() => undefined);
      await feed.store({ ...page, nextCursor: withOrigin(feed.origin, page.nextCursor) }, backfill);
      read += page.items.length;
      cursor = page.nextCursor;
      // A stop between pages leaves a consistent cursor; the next start resumes from it.
      if (!ahead || this.#halting) return read;
      reading = ahead;
    }
  }

  /**
   * The stored cursor as this feed's source wrote it, or null when another source wrote it (its
   * position means nothing here: an API's page token is no 前置库 keyset). A cursor stored before
   * sources were recorded is handed over as it is.
   */
  #ownCursor(feed: FollowedFeed, stored: string | null): string | null {
    const origin = stored === null ? null : originOf(stored);
    if (origin === null) return stored;
    if (feed.origin === undefined || origin.origin === feed.origin) return origin.cursor;
    this.#logger.warn(
      { feed: feed.name, storedBy: origin.origin, source: feed.origin },
      'the feed changed source; its stored cursor is not this source’s, so it is read again from the start',
    );
    return null;
  }

  /** A page, or pages joined until they hold `batchRecords`, as one page with the last one's cursor. */
  async #readBatch(feed: FollowedFeed, cursor: string | null, batchRecords: number): Promise<FeedPage<unknown>> {
    let batch = await feed.read(cursor, this.#pageSize);
    while (batch.hasMore && batch.items.length < batchRecords && !this.#halting) {
      const page = await feed.read(batch.nextCursor, this.#pageSize);
      // An empty page is left for the next batch to read again, or to report as not advancing.
      if (page.items.length === 0) break;
      batch = { items: batch.items.concat(page.items), nextCursor: page.nextCursor, hasMore: page.hasMore };
    }
    return batch;
  }
}

/** A cursor as stored: with the source that wrote it, when the feed names one. */
function withOrigin(origin: string | undefined, cursor: string): string {
  return origin === undefined ? cursor : JSON.stringify({ origin, cursor });
}

/** The source and cursor of a stored cursor `withOrigin` wrote; null for one stored without a source. */
function originOf(stored: string): { origin: string; cursor: string } | null {
  if (!stored.startsWith('{"origin":')) return null;
  try {
    const { origin, cursor } = JSON.parse(stored) as Record<string, unknown>;
    return typeof origin === 'string' && typeof cursor === 'string' ? { origin, cursor } : null;
  } catch {
    return null;
  }
}

/** Feeds are named `<system>.<resource>`. */
function systemOf(feed: FollowedFeed): AgencySystem {
  return feed.name.split('.')[0] as AgencySystem;
}

/** Runs `work` over `items`, at most `limit` at a time, each started in the items' order. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
