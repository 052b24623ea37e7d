import type { Connectors } from '../../connectors/index.ts';
import type { FeedPage } from '../../domain/feeds.ts';
import type { AgencySystem, Authority, CreditRecord, Penalty } from '../../domain/types.ts';
import type { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { EventPublisher, LoopEvent } from '../events/index.ts';
import type { LoopIndexStore } from './loop-index-store.ts';
import {
  ChangeFeedSync,
  type FeedFreshness,
  type FollowedFeed,
  type SyncLogger,
} from '../../platform/change-feed-sync.ts';
import { penaltyEvents, permitEvents, violationEvents } from './loop-events.ts';
import { caseRow, clueRow, creditRecordRow, inspectionRow, penaltyRow, permitRow } from './loop-index-rows.ts';
import type { LoopRow, LoopTable } from './loop-index-tables.ts';

export interface LoopIndexSyncDependencies {
  index: LoopIndexStore;
  connectors: Pick<Connectors, 'approval' | 'supervision' | 'enforcement' | 'credit'>;
  calendar: WorkingDayCalendar;
  logger: SyncLogger;
  /** Told of new permits, violations and penalties seen after the first backfill; none, none told. */
  publisher?: EventPublisher;
  /** Authorities, for whom an event concerns (the reference cache in the gateway). */
  authorities?: () => Promise<Authority[]>;
  /** Records asked of a feed per request (at most 1,000, the feeds' limit). */
  pageSize?: number;
  /** Feeds read at once while backfilling from empty; see ChangeFeedSyncOptions. */
  backfillConcurrency?: number;
  /** Told after a sync stored records (the loop gaps recompute then, not on the next request). */
  onStored?: (counts: Record<string, number>) => Promise<void>;
  /** Further events a page of penalties or credit records gives rise to (the credit check's CREDIT_CHECK_CHANGED). */
  moreEvents?: {
    penalties?: (index: LoopIndexStore, items: Penalty[]) => Promise<LoopEvent[]>;
    creditRecords?: (index: LoopIndexStore, items: CreditRecord[]) => Promise<LoopEvent[]>;
  };
}

/**
 * Records a backfill stores per transaction (five of the feeds' pages of 1,000): a commit waits
 * for its WAL flush (~6 ms on a loaded disk), a statement has its fixed cost, and neither depends
 * on the rows it carries.
 */
const BACKFILL_BATCH_RECORDS = 5_000;

/** How current the index is with one agency system: the oldest of its feeds. */
export interface AgencyFreshness {
  system: AgencySystem;
  /** When every feed of the system was last stored; null while one never has been. */
  syncedAt: string | null;
  records: number;
  feeds: FeedFreshness[];
}

/**
 * Keeps the loop index from all four agencies' change feeds: permits, inspections, clues, cases,
 * penalties and credit records, each page with its cursor and its events in one transaction.
 */
export class LoopIndexSync extends ChangeFeedSync {
  constructor(deps: LoopIndexSyncDependencies) {
    super(deps.index, loopFeeds(deps), deps.logger, {
      pageSize: deps.pageSize ?? 1000,
      label: 'loop index',
      onStored: deps.onStored,
      backfillConcurrency: deps.backfillConcurrency,
      backfillBatchRecords: BACKFILL_BATCH_RECORDS,
    });
  }

  /** Freshness per agency system, from the freshness of each of its feeds. */
  async agencyFreshness(): Promise<AgencyFreshness[]> {
    const feeds = await this.freshness();
    const systems = [...new Set(feeds.map((f) => f.feed.split('.')[0] as AgencySystem))];
    return systems.map((system) => {
      const own = feeds.filter((f) => f.feed.startsWith(`${system}.`));
      const times = own.map((f) => f.syncedAt);
      const syncedAt = times.includes(null)
        ? null
        : (times as string[]).reduce((a, b) => (Date.parse(a) <= Date.parse(b) ? a : b));
      return { system, syncedAt, records: own.reduce((sum, f) => sum + f.records, 0), feeds: own };
    });
  }
}

function loopFeeds(deps: LoopIndexSyncDependencies): FollowedFeed[] {
  const { connectors, calendar } = deps;
  const authorities = () => deps.authorities?.() ?? connectors.enforcement.authorities();
  const enforcementOrigin = connectors.enforcement.cursorOrigin;
  return [
    feed(deps, {
      name: 'approval.permits',
      origin: connectors.approval.cursorOrigin,
      table: 'permit',
      read: (c, l) => connectors.approval.permitChanges(c, l),
      toRow: permitRow,
      eventsOf: (index, items) => permitEvents(index, items),
    }),
    // Each source of inspections has a feed and a cursor of its own; the system's own keeps its old name.
    ...connectors.supervision.sources.map((source, i) =>
      feed(deps, {
        name: i === 0 ? 'supervision.inspections' : `supervision.inspections.${source}`,
        origin: connectors.supervision.cursorOriginOf?.(source),
        table: 'inspection',
        read: (c, l) => connectors.supervision.inspectionChanges(c, l, source),
        toRow: inspectionRow,
        eventsOf: async (index, items) => violationEvents(index, items, await authorities()),
      }),
    ),
    feed(deps, {
      name: 'enforcement.clues',
      origin: enforcementOrigin,
      table: 'clue',
      read: (c, l) => connectors.enforcement.clueChanges(c, l),
      toRow: (x) => clueRow(x, calendar),
    }),
    feed(deps, {
      name: 'enforcement.cases',
      origin: enforcementOrigin,
      table: 'case',
      read: (c, l) => connectors.enforcement.caseChanges(c, l),
      toRow: caseRow,
    }),
    feed(deps, {
      name: 'enforcement.penalties',
      origin: enforcementOrigin,
      table: 'penalty',
      read: (c, l) => connectors.enforcement.penaltyChanges(c, l),
      toRow: (x) => penaltyRow(x, calendar),
      eventsOf: async (index, items) => [
        ...(await penaltyEvents(index, items, await authorities())),
        ...((await deps.moreEvents?.penalties?.(index, items)) ?? []),
      ],
    }),
    feed(deps, {
      name: 'credit.records',
      origin: connectors.credit.cursorOrigin,
      table: 'creditRecord',
      read: (c, l) => connectors.credit.recordChanges(c, l),
      toRow: creditRecordRow,
      eventsOf: deps.moreEvents?.creditRecords
        ? (index, items) => deps.moreEvents!.creditRecords!(index, items)
        : undefined,
    }),
  ];
}

/** One followed feed: where it reads, which index table its records go to, which events they raise. */
interface LoopFeedSpec<T, Table extends LoopTable> {
  name: string;
  /** The source that writes this feed's cursors (change-feed-sync.ts re-reads a feed whose source changed). */
  origin: string | undefined;
  table: Table;
  read: (cursor: string | null, limit: number) => Promise<FeedPage<T>>;
  toRow: (item: T) => LoopRow<Table>;
  eventsOf?: (index: LoopIndexStore, items: T[]) => Promise<LoopEvent[]>;
}

function feed<T, Table extends LoopTable>(
  deps: LoopIndexSyncDependencies,
  { name, origin, table, read, toRow, eventsOf }: LoopFeedSpec<T, Table>,
): FollowedFeed<T> {
  const { index, publisher } = deps;
  return {
    name,
    origin,
    read,
    store: (page, backfill) =>
      index.transaction(async (tx) => {
        // Events compare with what the index held before the page, so they are decided first.
        const events = publisher && eventsOf && !backfill ? await eventsOf(tx, page.items) : [];
        await tx.upsert(table, page.items.map(toRow));
        await tx.saveCursor(name, page.nextCursor, page.items.length);
        if (events.length > 0) await publisher!.publish(events, tx.client);
      }),
  };
}
