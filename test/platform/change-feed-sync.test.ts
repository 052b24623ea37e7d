import { describe, expect, it } from 'vitest';
import type { FeedPage } from '../../src/domain/feeds.ts';
import type { Instant } from '../../src/domain/types.ts';
import { ChangeFeedSync, FeedSyncError, type FollowedFeed } from '../../src/platform/change-feed-sync.ts';
import { UpstreamUnavailableError } from '../../src/platform/errors.ts';

/** Cursors kept in memory, saved with each stored page as the store would in one transaction. */
class MemoryCursors {
  readonly saved = new Map<string, string>();
  async cursor(feed: string) {
    const cursor = this.saved.get(feed);
    return cursor === undefined ? null : { cursor };
  }
  async cursors() {
    return [...this.saved.keys()].map((feed) => ({
      feed,
      syncedAt: '2026-11-01T00:00:00+08:00' as Instant,
      records: 0,
    }));
  }
}

/** What the feeds below did, in order: `store <feed>` when a page's storing began, `stored <feed>` when it ended. */
type Journal = string[];

/** A feed of `total` numbered records whose cursor is the offset of the next one; storing a page takes a turn of the event loop. */
function listFeed(
  name: string,
  total: number,
  cursors: MemoryCursors,
  journal: Journal,
  options: { failFrom?: number } = {},
): FollowedFeed<number> & { stored: number[]; backfills: boolean[]; batches: number[][] } {
  const stored: number[] = [];
  const backfills: boolean[] = [];
  const batches: number[][] = [];
  return {
    name,
    stored,
    backfills,
    batches,
    async read(cursor: string | null, limit: number): Promise<FeedPage<number>> {
      const from = cursor === null ? 0 : Number(cursor);
      if (options.failFrom !== undefined && from >= options.failFrom) throw new Error(`${name} is down`);
      const items = Array.from({ length: Math.min(limit, total - from) }, (_, i) => from + i);
      return { items, nextCursor: String(from + items.length), hasMore: from + items.length < total };
    },
    async store(page, backfill) {
      journal.push(`store ${name}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
      stored.push(...page.items);
      batches.push(page.items);
      backfills.push(backfill);
      cursors.saved.set(name, page.nextCursor);
      journal.push(`stored ${name}`);
    },
  };
}

const quiet = { info: () => undefined, warn: () => undefined };

/** The most pages being stored at one moment, from the journal. */
function mostAtOnce(journal: Journal): number {
  let now = 0;
  let most = 0;
  for (const entry of journal) {
    now += entry.startsWith('store ') ? 1 : -1;
    most = Math.max(most, now);
  }
  return most;
}

describe('change feed sync, feeds read at once while backfilling', () => {
  it('reads up to the given number of backfilling feeds at once and stores every record of each', async () => {
    const cursors = new MemoryCursors();
    const journal: Journal = [];
    const feeds = ['a', 'b', 'c', 'd'].map((name) => listFeed(name, 10, cursors, journal));
    const sync = new ChangeFeedSync(cursors, feeds, quiet, { pageSize: 3, backfillConcurrency: 3 });

    const counts = await sync.syncOnce();

    expect(mostAtOnce(journal)).toBe(3);
    expect(counts).toEqual({ a: 10, b: 10, c: 10, d: 10 });
    for (const feed of feeds) {
      expect(feed.stored).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(feed.backfills.every(Boolean)).toBe(true);
    }
    expect(Object.fromEntries(cursors.saved)).toEqual({ a: '10', b: '10', c: '10', d: '10' });
  });

  it('reads feeds that have a cursor one after another, in order, even when it may read several at once', async () => {
    const cursors = new MemoryCursors();
    const journal: Journal = [];
    const feeds = ['a', 'b', 'c'].map((name) => listFeed(name, 6, cursors, journal));
    for (const feed of feeds) cursors.saved.set(feed.name, '0');
    const sync = new ChangeFeedSync(cursors, feeds, quiet, { pageSize: 3, backfillConcurrency: 3 });

    await sync.syncOnce();

    expect(mostAtOnce(journal)).toBe(1);
    expect(journal.filter((entry) => entry.startsWith('store '))).toEqual([
      'store a',
      'store a',
      'store b',
      'store b',
      'store c',
      'store c',
    ]);
    expect(feeds.every((feed) => feed.backfills.every((backfill) => !backfill))).toBe(true);
  });

  it('reads one feed at a time unless told otherwise', async () => {
    const cursors = new MemoryCursors();
    const journal: Journal = [];
    const feeds = ['a', 'b'].map((name) => listFeed(name, 6, cursors, journal));

    await new ChangeFeedSync(cursors, feeds, quiet, { pageSize: 3 }).syncOnce();

    expect(mostAtOnce(journal)).toBe(1);
  });

  it('backfills the other feeds when one fails, keeps the failed one at its last stored page, and says which failed', async () => {
    const cursors = new MemoryCursors();
    const journal: Journal = [];
    const feeds = [
      listFeed('a', 9, cursors, journal),
      listFeed('b', 9, cursors, journal, { failFrom: 3 }),
      listFeed('c', 9, cursors, journal),
    ];
    const sync = new ChangeFeedSync(cursors, feeds, quiet, { pageSize: 3, backfillConcurrency: 3 });

    const failure = await sync.syncOnce().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FeedSyncError);
    expect((failure as FeedSyncError).counts).toEqual({ a: 9, c: 9 });
    expect(Object.keys((failure as FeedSyncError).failures)).toEqual(['b']);
    expect(Object.fromEntries(cursors.saved)).toEqual({ a: '9', b: '3', c: '9' });
  });
});

describe('change feed sync when its store fails', () => {
  it('reports every feed as failed, as when reading one at a time, if the cursors cannot be read', async () => {
    const cursors = new MemoryCursors();
    const down = new Error('store unavailable');
    cursors.cursor = () => Promise.reject(down);
    cursors.cursors = () => Promise.reject(down);
    const feeds = ['a', 'b'].map((name) => listFeed(name, 6, cursors, []));
    const sync = new ChangeFeedSync(cursors, feeds, quiet, { pageSize: 3, backfillConcurrency: 3 });

    const failure = await sync.syncOnce().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(FeedSyncError);
    expect((failure as FeedSyncError).failures).toEqual({ a: down, b: down });
  });
});

describe('change feed sync, pages joined while backfilling', () => {
  it('stores a backfill in batches of the given number of records, each with the cursor after its last page', async () => {
    const cursors = new MemoryCursors();
    const feed = listFeed('a', 14, cursors, []);
    const savedCursors: string[] = [];
    const store = feed.store.bind(feed);
    feed.store = async (page, backfill) => {
      await store(page, backfill);
      savedCursors.push(cursors.saved.get('a')!);
    };

    await new ChangeFeedSync(cursors, [feed], quiet, { pageSize: 3, backfillBatchRecords: 6 }).syncOnce();

    expect(feed.batches.map((batch) => batch.length)).toEqual([6, 6, 2]);
    expect(savedCursors).toEqual(['6', '12', '14']);
    expect(feed.stored).toEqual(Array.from({ length: 14 }, (_, i) => i));
  });

  it('stores the pages of a feed with a cursor one by one', async () => {
    const cursors = new MemoryCursors();
    const feed = listFeed('a', 8, cursors, []);
    cursors.saved.set('a', '2');

    await new ChangeFeedSync(cursors, [feed], quiet, { pageSize: 3, backfillBatchRecords: 6 }).syncOnce();

    expect(feed.batches).toEqual([
      [2, 3, 4],
      [5, 6, 7],
    ]);
  });
});

describe('change feed sync, what its freshness tells of a failure', () => {
  it('names the catalogue code and reason of an agency failure, and never the raw text of another error', async () => {
    const cursors = new MemoryCursors();
    const agencyDown = listFeed('supervision.inspections', 3, cursors, []);
    agencyDown.read = () => Promise.reject(new UpstreamUnavailableError('supervision', 'connection_refused'));
    const internal = listFeed('enforcement.cases', 3, cursors, []);
    internal.read = () =>
      Promise.reject(new Error('relation "loop_case" does not exist at postgres://gw:secret@db.internal:5432/loop'));
    const warned: object[] = [];
    const logger = { info: () => undefined, warn: (details: object) => void warned.push(details) };
    const sync = new ChangeFeedSync(cursors, [agencyDown, internal], logger, { pageSize: 3 });

    await sync.syncOnce().catch(() => undefined);
    const [down, broken] = await sync.freshness();

    expect(down!.lastError).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      reason: 'connection_refused',
      message: 'The supervision system is unavailable (connection_refused).',
    });
    expect(broken!.lastError).toEqual({ code: 'INTERNAL_SERVER_ERROR', reason: null, message: 'Unexpected error.' });
    // The raw text stays in the server log.
    expect(JSON.stringify(warned.map((details) => String((details as { err?: unknown }).err)))).toContain(
      'db.internal',
    );
  });

  it('reports a feed that does not advance past its cursor as an unusable agency answer', async () => {
    const cursors = new MemoryCursors();
    const stuck = listFeed('credit.records', 3, cursors, []);
    cursors.saved.set('credit.records', '5');
    stuck.read = async (cursor) => ({ items: [], nextCursor: cursor!, hasMore: true });
    const sync = new ChangeFeedSync(cursors, [stuck], quiet, { pageSize: 3 });

    await sync.syncOnce().catch(() => undefined);

    expect((await sync.freshness())[0]!.lastError).toMatchObject({
      code: 'UPSTREAM_BAD_RESPONSE',
      reason: 'cursor_not_advancing',
    });
  });
});

describe('change feed sync when a feed changes source', () => {
  /** The list feed above, its cursors written by `origin` (an agency's API, its 前置库). */
  const fromOrigin = (origin: string, cursors: MemoryCursors, seen: Array<string | null>) => {
    const feed = listFeed('credit.records', 5, cursors, []);
    const read = feed.read.bind(feed);
    return Object.assign(feed, {
      origin,
      read: (cursor: string | null, limit: number) => {
        seen.push(cursor);
        return read(cursor, limit);
      },
    });
  };

  it('hands a feed back the cursor its own source wrote', async () => {
    const cursors = new MemoryCursors();
    await new ChangeFeedSync(cursors, [fromOrigin('agency-api', cursors, [])], quiet).syncOnce();
    const seen: Array<string | null> = [];
    const again = fromOrigin('agency-api', cursors, seen);

    expect(await new ChangeFeedSync(cursors, [again], quiet).syncOnce()).toEqual({ 'credit.records': 0 });
    expect(seen).toEqual(['5']);
    expect(again.backfills).toEqual([false]);
  });

  it('reads the feed again from its start, as a backfill, when another source wrote its cursor, and says so', async () => {
    const cursors = new MemoryCursors();
    await new ChangeFeedSync(cursors, [fromOrigin('agency-api', cursors, [])], quiet).syncOnce();
    const seen: Array<string | null> = [];
    const switched = fromOrigin('exchange-db', cursors, seen);
    const warnings: Array<{ details: object; message: string }> = [];
    const logger = {
      info: () => undefined,
      warn: (details: object, message: string) => warnings.push({ details, message }),
    };

    expect(await new ChangeFeedSync(cursors, [switched], logger).syncOnce()).toEqual({ 'credit.records': 5 });
    expect(seen).toEqual([null]);
    expect(switched.stored).toEqual([0, 1, 2, 3, 4]);
    expect(switched.backfills).toEqual([true]);
    expect(warnings).toEqual([
      {
        details: { feed: 'credit.records', storedBy: 'agency-api', source: 'exchange-db' },
        message: 'the feed changed source; its stored cursor is not this source’s, so it is read again from the start',
      },
    ]);

    // From then on the new source's own cursor is used.
    seen.length = 0;
    await new ChangeFeedSync(cursors, [switched], logger).syncOnce();
    expect(seen).toEqual(['5']);
    expect(warnings).toHaveLength(1);
  });

  it('hands over a cursor stored before sources were recorded as it was', async () => {
    const cursors = new MemoryCursors();
    cursors.saved.set('credit.records', '3');
    const seen: Array<string | null> = [];
    const feed = fromOrigin('exchange-db', cursors, seen);

    expect(await new ChangeFeedSync(cursors, [feed], quiet).syncOnce()).toEqual({ 'credit.records': 2 });
    expect(seen).toEqual(['3']);
    expect(feed.backfills).toEqual([false]);
  });
});
