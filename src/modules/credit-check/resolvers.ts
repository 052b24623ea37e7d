import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import { UpstreamError } from '../../platform/errors.ts';
import type { QueryResolvers } from '../../generated/graphql.ts';
import type { CreditCheckRequest, CreditCheckResult, CreditCheckService } from './credit-check-service.ts';
import { withinJurisdiction, type RequestPermissions } from '../access/index.ts';
import { ROW_PLACES, type Loaders } from '../subjects/index.ts';
import type { JurisdictionScope, SubjectFacts } from './evaluate-rules.ts';
import { factsThroughLoaders, factsWithin, placesThroughLoaders } from './subject-facts.ts';

function serviceOf(context: GatewayContext): CreditCheckService {
  if (!context.creditCheck) {
    throw new GraphQLError('Credit checks are not running in this gateway.', {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  return context.creditCheck;
}

/**
 * Each check reads through the request's loaders (batched, jurisdiction-filtered) and names its
 * subjects for the access log; a rule is evaluated only when the caller may read every field its
 * reasons reveal, which also records the conditional ones read in the access log.
 */
async function check(context: GatewayContext, requests: readonly CreditCheckRequest[]): Promise<CreditCheckResult[]> {
  const service = serviceOf(context);
  for (const request of requests) context.subjectsTouched.add(request.uscc);
  const { loaders, permissions } = context;
  try {
    return await service.check(
      requests,
      {
        isKnownSubject: async (uscc) => (await loaders.subjectByUscc.load(uscc)) !== null,
        facts: (uscc) => factsThroughLoaders(loaders, uscc),
        unreadable: () => unreadableSources(context),
        ...(permissions && permissions.standing.coversServedArea !== true
          ? { scope: (facts: SubjectFacts) => jurisdictionScope(permissions, loaders, facts) }
          : {}),
      },
      // Read on records wherever they lie: a township team's owner standing does not reach beyond it.
      permissions ? (field) => permissions.reveal([field], undefined, null) === true : undefined,
    );
  } catch (error) {
    throw error instanceof UpstreamError ? unavailable(error) : error;
  }
}

/**
 * The resources this request read only in part: a record dropped as unmappable, or a source of a
 * system that failed while the others answered. The warnings say so too, but only to a caller who
 * may read what they reveal, and a verdict must not look clean to any caller.
 */
function unreadableSources(context: GatewayContext): Set<string> {
  const unread = new Set<string>();
  for (const warning of context.warnings.reported) {
    if (warning.code === 'UPSTREAM_RECORD_DROPPED' || warning.code === 'UPSTREAM_SOURCE_UNAVAILABLE')
      unread.add(`${warning.system}.${warning.resource}`);
  }
  return unread;
}

/**
 * What a caller whose jurisdiction does not cover the served area sees only within it: cases
 * (jurisdiction-confined records) and the fields it reads there as their owner.
 */
async function jurisdictionScope(
  permissions: RequestPermissions,
  loaders: Loaders,
  facts: SubjectFacts,
): Promise<JurisdictionScope> {
  const { principal } = permissions.standing;
  return {
    jurisdictionCode: principal.jurisdictionCode,
    within: await factsWithin(facts, placesThroughLoaders(loaders), (township) =>
      withinJurisdiction(principal, township),
    ),
    mayReadWithin: (field) => permissions.reveal([field], undefined, 'confined') === true,
    confined: (field) => ROW_PLACES.confined.includes(field.split('.')[0]!),
  };
}

/** Seconds an approval system should wait before asking again while an agency is down. */
const RETRY_AFTER_SECONDS = 30;

/**
 * A verdict without one agency's records could clear an applicant it should not: the check
 * fails closed, as HTTP 503 with Retry-After (Apollo takes status and headers from
 * `extensions.http`), keeping the upstream error's code and system.
 */
function unavailable(error: UpstreamError): GraphQLError {
  return new GraphQLError(`No credit check can be made now: ${error.message}`, {
    extensions: {
      ...error.extensions,
      http: { status: 503, headers: new Map([['retry-after', String(RETRY_AFTER_SECONDS)]]) },
    },
  });
}

export const CreditCheckQuery: Pick<QueryResolvers, 'creditCheck' | 'creditChecks' | 'creditCheckItems'> = {
  creditCheck: async (_, { uscc, item, asOf }, context) => (await check(context, [{ uscc, item, asOf }]))[0]!,
  creditChecks: (_, { requests }, context) => check(context, requests),
  creditCheckItems: (_, __, context) => serviceOf(context).rules.permitItems,
};
