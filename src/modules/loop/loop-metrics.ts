import { Gauge, type Registry } from 'prom-client';
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
  new Gauge({
    name: 'gateway_loop_index_feed_age_seconds',
    help: 'Seconds since the loop index last stored a page of this change feed (absent: never).',
    labelNames: ['feed'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const feed of await sync.freshness()) {
        if (feed.syncedAt !== null) this.set({ feed: feed.feed }, (Date.now() - Date.parse(feed.syncedAt)) / 1000);
      }
    },
  });
  new Gauge({
    name: 'gateway_loop_index_feed_records',
    help: 'Records the loop index has read from this change feed in total.',
    labelNames: ['feed'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const feed of await sync.freshness())
        if (feedCountPublic(feed.feed)) this.set({ feed: feed.feed }, feed.records);
    },
  });
}
