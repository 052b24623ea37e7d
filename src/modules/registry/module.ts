import type { Logger } from 'pino';
import type { GatewayContext } from '../../context.ts';
import type { GatewayModule } from '../../platform/gateway-module.ts';
import { feedSyncWorker } from '../../platform/feed-sync-worker.ts';
import type { RegistrySync } from './registry-sync.ts';

/** The subject registry: no fields of its own (subjects serves them), a sync that follows the feeds. */
export function registryModule(sync: RegistrySync, intervalMs: number, logger: Logger): GatewayModule<GatewayContext> {
  return {
    name: 'registry',
    typeDefs: [],
    resolvers: {},
    context: () => ({ registryFeeds: sync }),
    ...feedSyncWorker(sync, intervalMs, logger, 'subject registry'),
  };
}
