import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import type { QueryResolvers } from '../../generated/graphql.ts';
import type { CreditCheckRequest, CreditCheckResult, CreditCheckService } from './credit-check-service.ts';
import { factsThroughLoaders } from './subject-facts.ts';

function serviceOf(context: GatewayContext): CreditCheckService {
  if (!context.creditCheck) {
    throw new GraphQLError('Credit checks are not running in this gateway.', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
  return context.creditCheck;
}

/**
 * Each check reads through the request's loaders (batched, jurisdiction-filtered) and names its
 * subjects for the access log; a rule is evaluated only when the caller may read every field its
 * reasons reveal, which also records the conditional ones read in the access log.
 */
function check(context: GatewayContext, requests: readonly CreditCheckRequest[]): Promise<CreditCheckResult[]> {
  const service = serviceOf(context);
  for (const request of requests) context.subjectsTouched.add(request.uscc);
  const { loaders, permissions } = context;
  return service.check(
    requests,
    {
      isKnownSubject: async (uscc) => (await loaders.subjectByUscc.load(uscc)) !== null,
      facts: (uscc) => factsThroughLoaders(loaders, uscc),
    },
    permissions ? (field) => permissions.allows(field) : undefined,
  );
}

export const CreditCheckQuery: Pick<QueryResolvers, 'creditCheck' | 'creditChecks' | 'creditCheckItems'> = {
  creditCheck: async (_, { uscc, item, asOf }, context) => (await check(context, [{ uscc, item, asOf }]))[0]!,
  creditChecks: (_, { requests }, context) => check(context, requests),
  creditCheckItems: (_, __, context) => serviceOf(context).rules.permitItems,
};
