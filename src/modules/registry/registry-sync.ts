import type { FeedPage, RegistryEntry, SubjectFeed } from '../../domain/feeds.ts';
import type { SubjectRegistry } from './subject-registry.ts';
import { ChangeFeedSync, FeedSyncError, type FollowedFeed, type SyncLogger } from '../../platform/change-feed-sync.ts';

export type { FeedFreshness, SyncLogger } from '../../platform/change-feed-sync.ts';

export interface RegistrySyncOptions {
  /** Records asked of a feed per request. */
  pageSize?: number;
}

/** Some feeds failed; the others were synced all the same, and `counts` has them. */
export class RegistrySyncError extends FeedSyncError {
  constructor(counts: Record<string, number>, failures: Record<string, unknown>) {
    super(counts, failures, 'registry sync');
    this.name = 'RegistrySyncError';
  }
}

/**
 * Keeps the subject registry up to date with the agencies' subject change feeds (approval and
 * credit), each page stored with its cursor in one transaction (see ChangeFeedSync).
 */
export class RegistrySync extends ChangeFeedSync {
  constructor(
    registry: SubjectRegistry,
    feeds: readonly SubjectFeed[],
    logger: SyncLogger,
    options: RegistrySyncOptions = {},
  ) {
    super(
      registry,
      feeds.map((source) => subjectFeed(registry, source)),
      logger,
      { ...options, label: 'subject registry' },
    );
  }

  protected override failure(counts: Record<string, number>, failures: Record<string, unknown>): Error {
    return new RegistrySyncError(counts, failures);
  }
}

function subjectFeed(registry: SubjectRegistry, source: SubjectFeed): FollowedFeed<RegistryEntry> {
  const name = `${source.system}.subjects`;
  return {
    name,
    origin: source.cursorOrigin,
    read: (cursor, limit) => source.subjectChanges(cursor, limit),
    store: (page: FeedPage<RegistryEntry>) =>
      registry.transaction(async (tx) => {
        await tx.upsertMany(page.items);
        await tx.saveCursor(name, page.nextCursor, page.items.length);
      }),
  };
}
