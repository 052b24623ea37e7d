import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import type { AccessLogWriter } from '../audit/index.ts';
import { EventDeliveryStore } from './event-delivery-store.ts';
import { EventOutbox } from './event-outbox.ts';
import { EventSubscriptionStore } from './event-subscription-store.ts';
import type { EventPublisher } from './loop-event.ts';
import type { WebhookConfig } from './webhook-config.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import { createWebhookMetrics } from './webhook-metrics.ts';
import { loadWebhookSigningKey, type WebhookSigningKey } from './webhook-signing-key.ts';

/** Pushed events (精准推送): the publisher producers write to, and what administration and delivery need. */
export interface EventDelivery {
  /** Give this to producers (the transfer service, the loop index's feed sync). */
  publisher: EventPublisher;
  subscriptions: EventSubscriptionStore;
  deliveries: EventDeliveryStore;
  dispatcher: WebhookDispatcher;
  signingKey: WebhookSigningKey;
}

/** Assembles the outbox and its dispatcher over the gateway's store; the dispatcher is not started. */
export async function createEventDelivery(options: {
  prisma: PrismaClient;
  /** For the dispatcher, which no caller waits on (Store.background); `prisma` when absent. */
  background?: PrismaClient;
  config: WebhookConfig;
  dataDir: string;
  logger: Logger;
  /** The gateway's access-log writer: every webhook attempt is logged there before it is sent. */
  accessLog: AccessLogWriter;
  /** Where the delivery metrics go (the gateway's /metrics registry). */
  metricsRegistry?: Registry;
}): Promise<EventDelivery> {
  const signingKey = await loadWebhookSigningKey({ configured: options.config.signingKey, dataDir: options.dataDir });
  const deliveries = new EventDeliveryStore(options.prisma);
  const metrics = options.metricsRegistry && createWebhookMetrics(options.metricsRegistry, deliveries);
  const dispatcher = new WebhookDispatcher(
    new EventDeliveryStore(options.background ?? options.prisma),
    signingKey,
    options.config,
    options.accessLog,
    options.logger,
    metrics,
  );
  // Events published outside a producer's transaction wake the dispatcher at once; inside one,
  // they become visible at the producer's commit, which the dispatcher cannot see: it then polls
  // every WEBHOOK_POLL_INTERVAL_MS for a while instead of sleeping until the next delivery is due.
  const publisher = new EventOutbox(options.prisma, (when) =>
    when === 'committed' ? dispatcher.wake() : dispatcher.expectWork(),
  );
  return {
    publisher,
    subscriptions: new EventSubscriptionStore(options.prisma, options.config.destinations),
    deliveries,
    dispatcher,
    signingKey,
  };
}

/** What the administrative GraphQL fields reach: subscriptions, dead letters, and a nudge for replays. */
export interface EventsAdministration {
  subscriptions: EventSubscriptionStore;
  deliveries: EventDeliveryStore;
  wake(): void;
}

export function eventsAdministration(events: EventDelivery): EventsAdministration {
  return { subscriptions: events.subscriptions, deliveries: events.deliveries, wake: () => events.dispatcher.wake() };
}
