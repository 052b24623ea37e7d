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
import { EventSubscriptionInputError } from './event-subscription-store.ts';

/** Like the other administrative fields, these exist only with authentication on. */
function eventsAdministrationOf(context: GatewayContext) {
  if (!context.events || !context.principal) {
    throw new GraphQLError('Administration needs authentication: set AUTH_REQUIRED=true.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  return { ...context.events, actor: `${context.principal.subject}@${context.principal.authorityCode}` };
}

export const EventsQuery: Pick<QueryResolvers, 'eventSubscriptions' | 'deadLetters'> = {
  eventSubscriptions: (_, { authorityCode, includeDisabled }, context) =>
    eventsAdministrationOf(context).subscriptions.list({
      authorityCode: authorityCode ?? undefined,
      includeDisabled: includeDisabled ?? false,
    }),
  deadLetters: (_, { subscriptionId, first }, context) => {
    const size = pageSize('deadLetters', first);
    return eventsAdministrationOf(context).deliveries.deadLetters({
      subscriptionId: subscriptionId ?? undefined,
      first: size,
    });
  },
};

export const EventsMutation: Pick<
  MutationResolvers,
  'createEventSubscription' | 'disableEventSubscription' | 'replayDeadLetters'
> = {
  createEventSubscription: async (_, { input }, context) => {
    const { subscriptions, actor } = eventsAdministrationOf(context);
    try {
      return await subscriptions.create(input, actor);
    } catch (error) {
      if (error instanceof EventSubscriptionInputError) {
        throw new BadUserInputError(`Invalid event subscription: ${error.problems.join('; ')}.`, {
          problems: error.problems,
        });
      }
      throw error;
    }
  },
  disableEventSubscription: async (_, { id }, context) => {
    const { subscriptions, actor } = eventsAdministrationOf(context);
    const subscription = await subscriptions.disable(id, actor);
    if (!subscription) throw new NotFoundError(`No event subscription has id ${JSON.stringify(id)}.`);
    return subscription;
  },
  replayDeadLetters: async (_, { ids }, context) => {
    const { deliveries, wake } = eventsAdministrationOf(context);
    if (ids.length === 0 || ids.length > 500)
      throw new BadUserInputError(`ids: give 1 to 500 delivery ids, got ${ids.length}`);
    const result = await deliveries.replay(ids);
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
  deadLetteredAt: (delivery) => delivery.deadAt,
};
