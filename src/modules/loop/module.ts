import type { Logger } from 'pino';
import type { GatewayContext } from '../../context.ts';
import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { feedSyncWorker } from '../../platform/feed-sync-worker.ts';
import {
  AuthorityPerformance,
  LoopFeedFreshness,
  LoopGap,
  LoopIndexFreshness,
  LoopQuery,
  SubjectLoop,
  TownshipPowerUse,
} from './loop.ts';
import type { LoopServices } from './loop-services.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const loopSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: {
    Query: LoopQuery,
    Subject: SubjectLoop,
    LoopGap,
    AuthorityPerformance,
    TownshipPowerUse,
    LoopIndexFreshness,
    LoopFeedFreshness,
  },
};

/**
 * The loop index, its gaps and the assessment over it. Its sync runs only with an interval above
 * zero; without it the fields answer from what the index holds.
 */
export function loopModule(loop: LoopServices, syncIntervalMs: number, logger: Logger): GatewayModule<GatewayContext> {
  return {
    name: 'loop',
    ...loopSchema,
    context: () => ({ loop }),
    ...(syncIntervalMs > 0 ? feedSyncWorker(loop.sync, syncIntervalMs, logger, 'loop index') : {}),
  };
}
