import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal.ts';
import type { GatewayContext } from '../../context.ts';
import type { AgencySystem } from '../../domain/types.ts';
import type { MutationResolvers, QueryResolvers, SharingRequestResolvers } from '../../generated/graphql.ts';
import { isOverdue, wasAnsweredLate } from './answer-deadline.ts';
import type { SharingRequestService } from './sharing-request-service.ts';

/** Sharing requests need to know who asks: they exist only with authentication on. */
function sharingOf(context: GatewayContext): { service: SharingRequestService; caller: Principal } {
  if (!context.sharingRequests || !context.principal || !context.permissions) {
    throw new GraphQLError('Sharing requests need authentication: set AUTH_REQUIRED=true.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  // The caller with the roles that hold here: an auditor of another county is no auditor of these requests.
  return { service: context.sharingRequests, caller: context.permissions.actor };
}

export const SharingRequestMutation: Pick<MutationResolvers, 'submitSharingRequest' | 'answerSharingRequest'> = {
  submitSharingRequest: (_, { input }, context) => {
    const { service, caller } = sharingOf(context);
    return service.submit(
      caller,
      { ...input, ownerSystem: input.ownerSystem.toLowerCase() as AgencySystem },
      context.warnings.calendarNotCovered,
    );
  },
  answerSharingRequest: (_, { input }, context) => {
    const { service, caller } = sharingOf(context);
    return service.answer(caller, input);
  },
};

export const SharingRequestQuery: Pick<
  QueryResolvers,
  'sharingRequest' | 'sharingRequests' | 'overdueSharingRequests'
> = {
  sharingRequest: (_, { id }, context) => {
    const { service, caller } = sharingOf(context);
    return service.get(caller, id);
  },
  sharingRequests: (_, { filter, first }, context) => {
    const { service, caller } = sharingOf(context);
    return service.list(caller, { status: filter?.status, overdueOnly: filter?.overdueOnly }, first);
  },
  overdueSharingRequests: (_, __, context) => {
    const { service, caller } = sharingOf(context);
    return service.overdueCounts(caller);
  },
};

export const SharingRequest: SharingRequestResolvers = {
  ownerSystem: (request) => request.ownerSystem.toUpperCase() as Uppercase<typeof request.ownerSystem>,
  overdue: (request, _, context) => isOverdue(request, sharingOf(context).service.today()),
  answeredLate: (request) => wasAnsweredLate(request),
};
