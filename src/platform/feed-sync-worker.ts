import type { Logger } from 'pino';
import type { ChangeFeedSync } from './change-feed-sync.ts';

/**
 * A feed-following sync as a module's worker: a first pass at start (a failure is logged, not
 * fatal: the feature answers from what it holds and the schedule retries), then every interval.
 */
export function feedSyncWorker(sync: ChangeFeedSync, intervalMs: number, logger: Logger, what: string) {
  return {
    async start() {
      try {
        const counts = await sync.syncOnce();
        logger.info({ counts }, `${what} synced`);
      } catch (error) {
        logger.warn({ err: error }, `first ${what} sync failed; will retry on schedule`);
      }
      sync.start(intervalMs);
    },
    stop: () => sync.stop(),
  };
}
