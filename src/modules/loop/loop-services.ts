import type { Logger } from 'pino';
import type { Connectors } from '../../connectors/index.ts';
import type { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { EventPublisher } from '../events/index.ts';
import { receiverCheckedPublisher } from '../events/index.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { StoreKind } from '../../platform/store/open-store.ts';
import type { ReferenceCache } from '../subjects/index.ts';
import type { ServedAreaSource } from '../access/index.ts';
import { LoopGapStore } from './loop-gap-store.ts';
import { LoopIndexStore } from './loop-index-store.ts';
import { LoopPerformanceStore } from '../assessment/index.ts';
import { SubjectLoopStore } from './subject-loop-store.ts';
import { AuthorityPerformanceService } from '../assessment/index.ts';
import { LoopGapsService } from './loop-gaps.ts';
import { LoopIndexSync, type LoopIndexSyncDependencies } from './loop-index-sync.ts';
import { SubjectLoopService } from './subject-loop.ts';

/** The loop index and what is computed from it; one set per gateway. */
export interface LoopServices {
  sync: LoopIndexSync;
  gaps: LoopGapsService;
  subjectLoop: SubjectLoopService;
  performance: AuthorityPerformanceService;
}

export interface LoopServicesDependencies {
  prisma: PrismaClient;
  /** For the index's sync, which no caller waits on (Store.background); `prisma` when absent. */
  background?: PrismaClient;
  /** PostgreSQL backfills several feeds at once; PGlite, whose transactions share one session, one at a time. */
  storeKind?: StoreKind;
  connectors: Connectors;
  reference: ReferenceCache;
  /** Where the gateway serves, as requests ask it: webhook receivers' owner standing is judged against it. */
  servedArea: ServedAreaSource;
  calendar: WorkingDayCalendar;
  logger: Pick<Logger, 'info' | 'warn'>;
  publisher?: EventPublisher;
  /** The day deadlines are measured against when a query names none; today by default. */
  today?: () => string;
  /** Further events of penalty and credit-record pages (the credit check's CREDIT_CHECK_CHANGED). */
  moreEvents?: LoopIndexSyncDependencies['moreEvents'];
}

/** A sync that stored this many records (a backfill, a mass update) refreshes the planner's statistics. */
const ANALYZE_AFTER_RECORDS = 5_000;
/**
 * Feeds a first backfill reads at once on PostgreSQL: the two largest (permits, inspections) and
 * the four small ones in turn finish at about the same time, and the connection pool keeps room
 * for the access log and requests.
 */
const POSTGRES_BACKFILL_CONCURRENCY = 3;

export function createLoopServices(deps: LoopServicesDependencies): LoopServices {
  const authorities = async () => [...(await deps.reference.get()).authorities.values()];
  const powerItems = async () => [...(await deps.reference.get()).powerItems.values()];
  const gaps = new LoopGapsService(new LoopGapStore(deps.prisma), authorities, deps.calendar, deps.today);
  const index = new LoopIndexStore(deps.background ?? deps.prisma);
  const afterStoring = async (counts: Record<string, number>) => {
    if (Object.values(counts).reduce((a, b) => a + b, 0) >= ANALYZE_AFTER_RECORDS) await index.analyze();
    await gaps.warm();
  };
  return {
    sync: new LoopIndexSync({
      index,
      connectors: deps.connectors,
      calendar: deps.calendar,
      logger: deps.logger,
      // Events go only to the concerned authorities that may read what their kind reveals.
      publisher:
        deps.publisher &&
        receiverCheckedPublisher(deps.publisher, {
          authorities: async () => (await deps.reference.get()).authorities,
          servedArea: deps.servedArea,
        }),
      authorities,
      onStored: afterStoring,
      backfillConcurrency: deps.storeKind === 'postgres' ? POSTGRES_BACKFILL_CONCURRENCY : 1,
      moreEvents: deps.moreEvents,
    }),
    gaps,
    subjectLoop: new SubjectLoopService(new SubjectLoopStore(deps.prisma), gaps, deps.today),
    performance: new AuthorityPerformanceService(new LoopPerformanceStore(deps.prisma), deps.calendar, powerItems),
  };
}
