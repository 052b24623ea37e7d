import type { FeedPage, RegistryEntry, SubjectFeed } from '../domain/feeds.ts';
import type { Instant } from '../domain/types.ts';
import type { SubjectRegistry } from '../store/subject-registry.ts';

export interface RegistrySyncOptions {
  /** Records asked of a feed per request. */
  pageSize?: number;
}

/** What the sync logs through; the gateway's pino logger is one. */
export interface SyncLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** How current the registry is with one feed. */
export interface FeedFreshness {
  /** `<system>.subjects`, as the cursor is stored. */
  feed: string;
  /** When a page of this feed was last stored; null if never. */
  syncedAt: Instant | null;
  /** Records read from the feed in total. */
  records: number;
  /** Why the latest sync of this feed failed; null when it succeeded or has not run. */
  lastError: string | null;
}

/** Some feeds failed; the others were synced all the same, and `counts` has them. */
export class RegistrySyncError extends Error {
  constructor(
    readonly counts: Record<string, number>,
    readonly failures: Record<string, unknown>,
  ) {
    super(`registry sync failed for ${Object.keys(failures).join(', ')}`);
    this.name = 'RegistrySyncError';
  }
}

const DEFAULT_PAGE_SIZE = 500;

/**
 * Keeps the subject registry up to date with the agencies' change feeds. Each page is stored
 * together with the cursor that follows it, in one transaction, so a crash or a failing feed
 * resumes exactly after the last stored page: nothing is lost and nothing is read twice.
 */
export class RegistrySync {
  readonly #registry: SubjectRegistry;
  readonly #feeds: readonly SubjectFeed[];
  readonly #logger: SyncLogger;
  readonly #pageSize: number;
  readonly #lastErrors = new Map<string, string>();
  #running: Promise<Record<string, number>> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #scheduled = false;
  /** Set by stop(): the sync under way ends after the page it is storing. */
  #halting = false;

  constructor(
    registry: SubjectRegistry,
    feeds: readonly SubjectFeed[],
    logger: SyncLogger,
    options: RegistrySyncOptions = {},
  ) {
    this.#registry = registry;
    this.#feeds = feeds;
    this.#logger = logger;
    this.#pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  }

  /**
   * Reads every feed to its end and returns the records read per feed. A call while a sync is
   * under way joins it rather than starting a second one. Throws RegistrySyncError, after
   * syncing the other feeds, when any feed failed.
   */
  syncOnce(): Promise<Record<string, number>> {
    if (this.#running) return this.#running;
    this.#halting = false;
    this.#running = this.#syncAll().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Syncs now and then every `intervalMs` after the previous sync ends; failures are logged. */
  start(intervalMs: number): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const tick = async () => {
      try {
        const counts = await this.syncOnce();
        this.#logger.info({ counts }, 'subject registry synced');
      } catch (error) {
        this.#logger.warn({ err: error }, 'subject registry sync failed; retrying on schedule');
      }
      if (this.#scheduled) this.#timer = setTimeout(tick, intervalMs).unref();
    };
    this.#timer = setTimeout(tick, intervalMs).unref();
  }

  /** Stops the schedule; resolves once a sync under way has stored its current page. */
  async stop(): Promise<void> {
    this.#scheduled = false;
    this.#halting = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  async freshness(): Promise<FeedFreshness[]> {
    const stored = new Map((await this.#registry.cursors()).map((cursor) => [cursor.feed, cursor]));
    return this.#feeds.map((source) => {
      const feed = feedName(source);
      const cursor = stored.get(feed);
      return {
        feed,
        syncedAt: cursor?.syncedAt ?? null,
        records: cursor?.records ?? 0,
        lastError: this.#lastErrors.get(feed) ?? null,
      };
    });
  }

  async #syncAll(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    const failures: Record<string, unknown> = {};
    for (const source of this.#feeds) {
      const feed = feedName(source);
      try {
        counts[feed] = await this.#syncFeed(source, feed);
        this.#lastErrors.delete(feed);
      } catch (error) {
        failures[feed] = error;
        this.#lastErrors.set(feed, error instanceof Error ? error.message : String(error));
        this.#logger.warn({ err: error, feed }, 'subject feed sync failed; its cursor stays where it was');
      }
    }
    if (Object.keys(failures).length > 0) throw new RegistrySyncError(counts, failures);
    return counts;
  }

  async #syncFeed(source: SubjectFeed, feed: string): Promise<number> {
    let cursor = (await this.#registry.cursor(feed))?.cursor ?? null;
    let read = 0;
    for (;;) {
      const page: FeedPage<RegistryEntry> = await source.subjectChanges(cursor, this.#pageSize);
      if (page.hasMore && page.items.length === 0 && page.nextCursor === cursor) {
        throw new Error(`${feed} reports more records but does not advance past cursor ${cursor}`);
      }
      await this.#registry.transaction(async (registry) => {
        await registry.upsertMany(page.items);
        await registry.saveCursor(feed, page.nextCursor, page.items.length);
      });
      read += page.items.length;
      cursor = page.nextCursor;
      // A stop between pages leaves a consistent cursor; the next start resumes from it.
      if (!page.hasMore || this.#halting) return read;
    }
  }
}

function feedName(source: SubjectFeed): string {
  return `${source.system}.subjects`;
}
