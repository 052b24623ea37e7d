import type { GatewayContext } from '../../context.ts';
import { createWebhookJwksRouter } from '../../http/webhook-jwks-route.ts';
import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { eventsAdministration, type EventDelivery } from './event-delivery.ts';
import { EventDelivery as EventDeliveryResolvers, EventsMutation, EventsQuery, OutboxEvent } from './events.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const eventsSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Query: EventsQuery, Mutation: EventsMutation, OutboxEvent, EventDelivery: EventDeliveryResolvers },
};

/**
 * Pushed events (精准推送): subscriptions, dead letters, the webhook key, and the dispatcher.
 * Switched off, producers still write their events to the outbox; they are delivered once it is on.
 */
export function eventsModule(events: EventDelivery): GatewayModule<GatewayContext> {
  const administration = eventsAdministration(events);
  return {
    name: 'events',
    ...eventsSchema,
    context: () => ({ events: administration }),
    routes: createWebhookJwksRouter(events.signingKey.publicJwk),
    start: async () => events.dispatcher.start(),
    // Deliveries in flight settle, or are given back to be sent again.
    stop: () => events.dispatcher.stop(),
  };
}
