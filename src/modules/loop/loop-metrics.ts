import type { Registry } from 'prom-client';
import { storeReadGauge } from '../../platform/store-read-gauge.ts';
import type { ChangeFeedSync } from '../../platform/change-feed-sync.ts';
import { feedCountPublic } from './feed-counts.ts';

/**
 * The loop index's freshness on /metrics: per feed, seconds since a page was last stored and
 * records read, read from the store when scraped (one small query), so an alert can fire on a
 * feed that stopped moving. /metrics takes no token, so a feed's count is published only where
 * any caller may read it over GraphQL (feed-counts.ts): not for inspections, clues or cases, whose
 * county-wide count moves with every such record anywhere; their age is enough to alert on.
 */
export function registerLoopIndexMetrics(registry: Registry, sync: ChangeFeedSync): void {
  storeReadGauge({
    name: 'gateway_loop_index_feed_age_seconds',
    help: 'Seconds since the loop index last stored a page of this change feed (absent: never, or the store could not be read).',
    labelNames: ['feed'] as const,
    registry,
    async read(set) {
      for (const feed of await sync.freshness()) {
        if (feed.syncedAt !== null) set({ feed: feed.feed }, (Date.now() - Date.parse(feed.syncedAt)) / 1000);
      }
    },
  });
  storeReadGauge({
    name: 'gateway_loop_index_feed_records',
    help: 'Records the loop index has read from this change feed in total (absent: the store could not be read).',
    labelNames: ['feed'] as const,
    registry,
    async read(set) {
      for (const feed of await sync.freshness()) if (feedCountPublic(feed.feed)) set({ feed: feed.feed }, feed.records);
    },
  });
}
