import type { Logger } from 'pino';
import type { ChangeFeedSync } from './change-feed-sync.ts';

/**
 * A feed-following sync as a module's worker: a first pass at start (a failure is logged, not
 * fatal: the feature answers from what it holds and the schedule retries within seconds), then
 * every interval.
 */
export function feedSyncWorker(sync: ChangeFeedSync, intervalMs: number, logger: Logger, what: string) {
  return {
    async start() {
      let lastFailed = false;
      try {
        const counts = await sync.syncOnce();
        logger.info({ counts }, `${what} synced`);
      } catch (error) {
        lastFailed = true;
        logger.warn({ err: error }, `first ${what} sync failed; retrying within seconds`);
      }
      sync.start(intervalMs, { lastFailed });
    },
    stop: () => sync.stop(),
  };
}
