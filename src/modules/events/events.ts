import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import { BadUserInputError, NotFoundError } from '../../platform/errors.ts';
import { pageSize } from '../../platform/page-size.ts';
import type {
  EventDeliveryResolvers,
  MutationResolvers,
  OutboxEventResolvers,
  QueryResolvers,
} from '../../generated/graphql.ts';
import {
  administratorOf,
  assertKnownAuthority,
  assertMayActForAuthority,
  isGatewayOperator,
  mayActForAuthority,
} from '../administration/index.ts';
import { EventSubscriptionInputError } from './event-subscription-store.ts';

/** Like the other administrative fields, these exist only with authentication on. */
function eventsAdministrationOf(context: GatewayContext) {
  if (!context.events || !context.principal) {
    throw new GraphQLError('Administration needs authentication: set AUTH_REQUIRED=true.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  const caller = administratorOf(context);
  return {
    ...context.events,
    caller,
    actor: `${context.principal.subject}@${caller.authorityCode}`,
    /** The one authority whose subscriptions and deliveries the caller is confined to; undefined for the operator. */
    confinedTo: isGatewayOperator(caller) ? undefined : caller.authorityCode,
  };
}

export const EventsQuery: Pick<QueryResolvers, 'eventSubscriptions' | 'deadLetters'> = {
  eventSubscriptions: (_, { authorityCode, includeDisabled }, context) => {
    const { subscriptions, caller, confinedTo } = eventsAdministrationOf(context);
    if (authorityCode != null) assertMayActForAuthority(caller, authorityCode, 'lists event subscriptions');
    return subscriptions.list({
      authorityCode: authorityCode ?? confinedTo,
      includeDisabled: includeDisabled ?? false,
    });
  },
  deadLetters: (_, { subscriptionId, first }, context) => {
    const size = pageSize('deadLetters', first);
    const { deliveries, confinedTo } = eventsAdministrationOf(context);
    return deliveries.deadLetters({
      subscriptionId: subscriptionId ?? undefined,
      authorityCode: confinedTo,
      first: size,
    });
  },
};

export const EventsMutation: Pick<
  MutationResolvers,
  'createEventSubscription' | 'disableEventSubscription' | 'replayDeadLetters'
> = {
  createEventSubscription: async (_, { input }, context) => {
    const { subscriptions, caller, actor } = eventsAdministrationOf(context);
    const authorityCode = input.authorityCode.trim();
    assertMayActForAuthority(caller, authorityCode, 'subscribes to events');
    const { authorities } = await context.loaders.reference();
    assertKnownAuthority('authorityCode', authorityCode, authorities);
    try {
      return await subscriptions.create(input, actor);
    } catch (error) {
      if (error instanceof EventSubscriptionInputError) {
        throw new BadUserInputError(`Invalid event subscription: ${error.problems.join('; ')}.`, {
          // Why the webhook URL is refused, for a client to act on; every problem is in `problems`.
          ...(error.webhookUrlReason ? { argument: 'webhookUrl', reason: error.webhookUrlReason } : {}),
          problems: error.problems,
        });
      }
      throw error;
    }
  },
  disableEventSubscription: async (_, { id }, context) => {
    const { subscriptions, caller, actor } = eventsAdministrationOf(context);
    const existing = await subscriptions.find(id);
    // Another authority's subscription is answered like an unknown id: its existence is not the caller's to learn.
    const subscription =
      existing && mayActForAuthority(caller, existing.authorityCode)
        ? await subscriptions.disable(id, actor)
        : undefined;
    if (!subscription) throw new NotFoundError(`No event subscription has id ${JSON.stringify(id)}.`);
    return subscription;
  },
  replayDeadLetters: async (_, { ids }, context) => {
    const { deliveries, wake, confinedTo } = eventsAdministrationOf(context);
    if (ids.length === 0 || ids.length > 500)
      throw new BadUserInputError(`ids: give 1 to 500 delivery ids, got ${ids.length}`);
    const result = await deliveries.replay(ids, confinedTo);
    if (result.replayed.length > 0) wake();
    return result;
  },
};

export const OutboxEvent: OutboxEventResolvers = {
  payloadJson: (event) => JSON.stringify(event.payload),
};

export const EventDelivery: EventDeliveryResolvers = {
  // An event read back (its payload names the parties, the matter, a reason) is a read about its
  // subject: the access log must name it, or a search of the log by subject misses the read.
  event: (delivery, _args, context) => {
    context.subjectsTouched.add(delivery.event.subjectUscc);
    return delivery.event;
  },
  status: (delivery) => (delivery.status === 'DEAD' ? 'DEAD_LETTERED' : delivery.status),
  lastError: (delivery) => delivery.lastError?.message ?? null,
  lastErrorCode: (delivery) => delivery.lastError?.code ?? null,
  lastErrorReason: (delivery) => delivery.lastError?.reason ?? null,
  deadLetteredAt: (delivery) => delivery.deadAt,
};
