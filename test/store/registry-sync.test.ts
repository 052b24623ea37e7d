import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedPage, RegistryEntry, SubjectFeed } from '../../src/domain/feeds.ts';
import type { AgencySystem } from '../../src/domain/types.ts';
import { RegistrySync, RegistrySyncError } from '../../src/modules/registry/registry-sync.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { SubjectRegistry } from '../../src/modules/registry/subject-registry.ts';
import { storeVariants } from '../support/stores.ts';
import { approvalEntry, creditEntry } from './registry-entries.ts';

/**
 * An agency's change feed held in memory: the cursor is the offset of the next record. It records
 * the cursors it was asked for, and can be told to fail from some offset on.
 */
class ListFeed implements SubjectFeed {
  readonly requests: (string | null)[] = [];
  failFrom: number | null = null;

  constructor(
    readonly system: AgencySystem,
    readonly records: RegistryEntry[],
  ) {}

  async subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>> {
    this.requests.push(cursor);
    const from = cursor === null ? 0 : Number(cursor);
    if (this.failFrom !== null && from >= this.failFrom) throw new Error(`${this.system} is down`);
    const items = this.records.slice(from, from + limit);
    const next = from + items.length;
    return { items, nextCursor: String(next), hasMore: next < this.records.length };
  }
}

class RecordingLogger {
  readonly warnings: string[] = [];
  info(): void {}
  warn(_details: object, message: string): void {
    this.warnings.push(message);
  }
}

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`registry sync on ${variant.name}`, () => {
    let store: Store;
    let registry: SubjectRegistry;
    let logger: RecordingLogger;

    beforeAll(async () => {
      store = await variant.open();
      registry = new SubjectRegistry(store.prisma);
    });
    afterAll(() => variant.dispose());
    beforeEach(async () => {
      await store.prisma.subject.deleteMany();
      await store.prisma.syncCursor.deleteMany();
      logger = new RecordingLogger();
    });

    function syncOf(feeds: SubjectFeed[], pageSize = 4) {
      return new RegistrySync(registry, feeds, logger, { pageSize });
    }

    it('reads every feed page by page and counts the records per feed', async () => {
      const approval = new ListFeed(
        'approval',
        Array.from({ length: 10 }, (_, i) => approvalEntry(i)),
      );
      const credit = new ListFeed('credit', [creditEntry(3, { legacyRegNo: '330381000000033' }), creditEntry(50)]);

      expect(await syncOf([approval, credit]).syncOnce()).toEqual({ 'approval.subjects': 10, 'credit.subjects': 2 });
      expect(approval.requests).toEqual([null, '4', '8']);
      expect(await store.prisma.subject.count()).toBe(11);
      expect(await registry.findByLegacyRegNos(['330381000000033'])).toMatchObject([
        { sources: ['approval', 'credit'] },
      ]);
    });

    it('resumes from the saved cursor and does not read old records again', async () => {
      const approval = new ListFeed(
        'approval',
        Array.from({ length: 6 }, (_, i) => approvalEntry(i)),
      );
      await syncOf([approval]).syncOnce();
      approval.records.push(approvalEntry(6), approvalEntry(7));
      approval.requests.length = 0;

      expect(await syncOf([approval]).syncOnce()).toEqual({ 'approval.subjects': 2 });
      expect(approval.requests).toEqual(['6']);
      expect(await registry.cursor('approval.subjects')).toMatchObject({ cursor: '8', records: 8 });
    });

    it('keeps the pages stored before a feed failed and resumes after them, still syncing other feeds', async () => {
      const approval = new ListFeed(
        'approval',
        Array.from({ length: 10 }, (_, i) => approvalEntry(i)),
      );
      const credit = new ListFeed('credit', [creditEntry(70)]);
      approval.failFrom = 8;

      const failed = await syncOf([approval, credit])
        .syncOnce()
        .catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(RegistrySyncError);
      expect(failed).toMatchObject({ counts: { 'credit.subjects': 1 } });
      expect(await registry.cursor('approval.subjects')).toMatchObject({ cursor: '8', records: 8 });
      expect(await store.prisma.subject.count()).toBe(9);
      expect(logger.warnings).toHaveLength(1);

      approval.failFrom = null;
      approval.requests.length = 0;
      expect(await syncOf([approval, credit]).syncOnce()).toEqual({ 'approval.subjects': 2, 'credit.subjects': 0 });
      expect(approval.requests).toEqual(['8']);
    });

    it('reports per feed when it last synced, how many records it read and its last error', async () => {
      const approval = new ListFeed('approval', [approvalEntry(1), approvalEntry(2)]);
      const credit = new ListFeed('credit', [creditEntry(1)]);
      credit.failFrom = 0;
      const sync = syncOf([approval, credit]);
      expect(await sync.freshness()).toEqual([
        { feed: 'approval.subjects', syncedAt: null, records: 0, lastError: null },
        { feed: 'credit.subjects', syncedAt: null, records: 0, lastError: null },
      ]);

      await sync.syncOnce().catch(() => undefined);
      const [approvalFreshness, creditFreshness] = await sync.freshness();
      expect(approvalFreshness).toMatchObject({ records: 2, lastError: null });
      expect(approvalFreshness?.syncedAt).toMatch(/\+08:00$/);
      expect(creditFreshness).toEqual({
        feed: 'credit.subjects',
        syncedAt: null,
        records: 0,
        // The feed's raw message stays in the log: callers are told the catalogue's code only.
        lastError: { code: 'INTERNAL_SERVER_ERROR', reason: null, message: 'Unexpected error.' },
      });
    });

    it('joins a sync under way instead of starting a second one', async () => {
      const approval = new ListFeed(
        'approval',
        Array.from({ length: 5 }, (_, i) => approvalEntry(i)),
      );
      const sync = syncOf([approval]);
      const [first, second] = await Promise.all([sync.syncOnce(), sync.syncOnce()]);
      expect(first).toEqual({ 'approval.subjects': 5 });
      expect(second).toBe(first);
      expect(approval.requests).toEqual([null, '4']);
    });

    it('syncs on a schedule, survives a failing feed and stops when told', async () => {
      const approval = new ListFeed('approval', [approvalEntry(1)]);
      approval.failFrom = 0;
      const sync = syncOf([approval]);
      sync.start(20);
      await expect.poll(() => logger.warnings.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(1);

      approval.failFrom = null;
      await expect.poll(() => store.prisma.subject.count(), { timeout: 5_000 }).toBe(1);
      await sync.stop();
      const requestsAfterStop = approval.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(approval.requests).toHaveLength(requestsAfterStop);
    });

    it('retries a failed sync within seconds instead of after the whole interval, then keeps the interval', async () => {
      const approval = new ListFeed('approval', [approvalEntry(1)]);
      approval.failFrom = 0;
      const sync = syncOf([approval]);
      await expect(sync.syncOnce()).rejects.toThrow();

      approval.failFrom = null;
      sync.start(3_600_000, { lastFailed: true });
      await expect.poll(() => store.prisma.subject.count(), { timeout: 5_000 }).toBe(1);
      const requestsAfterSuccess = approval.requests.length;
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(approval.requests).toHaveLength(requestsAfterSuccess);
      await sync.stop();
    });
  });
}
