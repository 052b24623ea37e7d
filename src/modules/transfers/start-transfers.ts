import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { Connectors, ConnectorsReporting } from '../../connectors/index.ts';
import type { WorkingDayCalendar } from '../../domain/working-days.ts';
import type { EventPublisher } from '../events/index.ts';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { ReferenceCache, ReferenceData } from '../subjects/index.ts';
import type { ServedAreaSource } from '../access/index.ts';
import { TransferDeliveryStore } from './transfer-delivery-store.ts';
import { TransferStore } from './transfer-store.ts';
import type { SubjectRegistry } from '../registry/index.ts';
import { inspectionsFrom } from './inspection-check.ts';
import { registryThenApproval } from './subject-locator.ts';
import { TransferDeliverer, type TransferDelivererOptions } from './transfer-deliverer.ts';
import { createTransferDeliveryMetrics } from './transfer-delivery-metrics.ts';
import { TransferService } from './transfer-service.ts';
import { receiverCheckedPublisher } from '../events/index.ts';

export interface TransferDependencies {
  prisma: PrismaClient;
  /** For the delivery, which no caller waits on (Store.background); `prisma` when absent. */
  background?: PrismaClient;
  connectors: Connectors & ConnectorsReporting;
  registry: SubjectRegistry;
  logger: Logger;
  /** The gateway's reference data (power list, authorities), shared with the other services. */
  reference: ReferenceCache;
  /** Where the gateway serves, as requests ask it: a step's receiver's owner standing is judged against it. */
  servedArea: ServedAreaSource;
  calendar: WorkingDayCalendar;
  publisher?: EventPublisher;
  /** TRANSFER_DELIVERY_* settings; defaults otherwise. */
  delivery?: TransferDelivererOptions;
  /** Where the delivery metrics go (the gateway's /metrics registry). */
  metricsRegistry?: Registry;
}

export interface RunningTransfers {
  service: TransferService;
  /** Writes stored transfers to the enforcement system; `retryNow()` after an outage ends, `replay(ids)` for dead letters. */
  deliverer: TransferDeliverer;
  stop(): Promise<void>;
}

/** The clue-transfer service and its background delivery to the enforcement system; the transfers module starts the delivery. */
export function createTransfers(deps: TransferDependencies): RunningTransfers {
  const deliveries = new TransferDeliveryStore(deps.background ?? deps.prisma);
  const deliverer = new TransferDeliverer(deliveries, deps.connectors.enforcement, deps.logger, deps.delivery, {
    publisher: deps.publisher,
    metrics:
      deps.metricsRegistry &&
      createTransferDeliveryMetrics(deps.metricsRegistry, new TransferDeliveryStore(deps.prisma)),
  });
  const reference = lastGoodReference(deps.reference, deps.logger);
  const service = new TransferService({
    store: new TransferStore(deps.prisma),
    reference,
    subjects: registryThenApproval(deps.registry, deps.connectors.approval),
    inspections: inspectionsFrom(deps.connectors.supervision),
    upstreamReportingTo: (sink) => {
      const reporting = deps.connectors.reportingTo(sink);
      return {
        subjects: registryThenApproval(deps.registry, reporting.approval),
        inspections: inspectionsFrom(reporting.supervision),
      };
    },
    calendar: deps.calendar,
    // Steps go to the sender only if it may read what a step reveals (the policy every event passes).
    publisher:
      deps.publisher &&
      receiverCheckedPublisher(deps.publisher, {
        authorities: async () => (await reference()).authorities,
        servedArea: deps.servedArea,
      }),
    onSent: () => deliverer.wake(),
    replayDeliveries: (ids) => deliverer.replay(ids),
  });
  return { service, deliverer, stop: () => deliverer.stop() };
}

/**
 * The power list from the enforcement system, or the last copy read when that system is down:
 * routing a clue must not wait for the system the clue is being sent to (it changes a few times
 * a year, and the transfer is delivered once the system is back). Fetched once at start.
 */
function lastGoodReference(cache: ReferenceCache, logger: Logger): () => Promise<ReferenceData> {
  let lastGood: ReferenceData | null = null;
  const read = async (): Promise<ReferenceData> => {
    try {
      lastGood = await cache.get();
      return lastGood;
    } catch (error) {
      if (!lastGood) throw error;
      logger.warn({ err: error }, 'power list unavailable; routing transfers with the last copy read');
      return lastGood;
    }
  };
  read().catch(() => undefined);
  return read;
}
