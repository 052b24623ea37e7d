import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import { looksBlank } from '../../domain/invisible-characters.ts';
import type { AgencySystem } from '../../domain/types.ts';
import { endedPeriodProblem } from '../../domain/validity-period.ts';
import { BadUserInputError } from '../../platform/errors.ts';
import { pageSize } from '../../platform/page-size.ts';
import type {
  AccessLogEntryResolvers,
  GrantResolvers,
  MutationResolvers,
  QueryResolvers,
} from '../../generated/graphql.ts';
import { GrantInputError } from '../access/index.ts';
import { ROW_PLACES } from '../subjects/index.ts';
import {
  administratorOf,
  assertGrantPlacedWithin,
  assertGrantWithinJurisdiction,
  assertMayAdministerGrantsOf,
  isGatewayOperator,
  maySeeGrant,
} from './administrator-scope.ts';
import { assertKnownAuthority } from './known-authority.ts';

/** The administrative fields exist only with authentication on: with it off, nobody may administer. */
function administrationOf(context: GatewayContext) {
  if (!context.administration || !context.principal) {
    throw new GraphQLError('Administration needs authentication: set AUTH_REQUIRED=true.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  return {
    ...context.administration,
    caller: administratorOf(context),
    actor: `${context.principal.subject}@${context.principal.authorityCode}`,
  };
}

export const Mutation: MutationResolvers = {
  createGrant: async (_, { input }, context) => {
    const { grants, caller, actor } = administrationOf(context);
    const ownerSystem = input.ownerSystem.toLowerCase() as AgencySystem;
    assertMayAdministerGrantsOf(caller, ownerSystem, 'create');
    const consumer = {
      authorityCode: input.consumerAuthorityCode?.trim() || null,
      authorityKind: input.consumerAuthorityKind ?? null,
    };
    const { authorities } = await context.loaders.reference();
    if (consumer.authorityCode !== null)
      assertKnownAuthority('consumerAuthorityCode', consumer.authorityCode, authorities);
    if (!isGatewayOperator(caller)) {
      assertGrantWithinJurisdiction(caller, consumer, authorities);
      assertGrantPlacedWithin(caller, input.fields, ROW_PLACES.confined);
    }
    const ended = endedPeriodProblem(input.validUntil, new Date());
    try {
      if (ended !== null) throw new GrantInputError([...grants.problemsOf({ ...input, ownerSystem }), ended]);
      return await grants.create({ ...input, ownerSystem }, actor);
    } catch (error) {
      if (error instanceof GrantInputError)
        throw new BadUserInputError(`Invalid grant: ${error.problems.join('; ')}.`, { problems: error.problems });
      throw error;
    }
  },
  revokeGrant: async (_, { id, reason: given }, context) => {
    const { grants, caller, actor } = administrationOf(context);
    const reason = revokeReasonOf(given);
    const grant = await grants.find(id);
    // A grant the caller may not see (the grants list leaves it out) is answered as an unknown id.
    if (grant && !maySeeGrant(caller, grant)) return { outcome: 'NOT_FOUND', grant: null };
    if (grant) {
      assertMayAdministerGrantsOf(caller, grant.ownerSystem, 'revoke');
      if (!isGatewayOperator(caller)) {
        const consumer = { authorityCode: grant.consumerAuthorityCode, authorityKind: grant.consumerAuthorityKind };
        // Fields it could not give are not checked: revoking only narrows, and a grant of them made
        // before the rule (or by the operator) must stay revocable by its consumer's administrator.
        assertGrantWithinJurisdiction(caller, consumer, (await context.loaders.reference()).authorities);
      }
    }
    const result = await grants.revoke(id, actor, reason);
    if (result.outcome === 'not-found') return { outcome: 'NOT_FOUND', grant: null };
    return { outcome: result.outcome === 'revoked' ? 'REVOKED' : 'ALREADY_REVOKED', grant: result.grant };
  },
};

/** As long as a sharing request's answer may be: the consumer and auditors read why it ended. */
const MAX_REVOKE_REASON_LENGTH = 1000;

/** The reason trimmed; BAD_USER_INPUT when nothing a reader would see is left, or when it is too long. */
function revokeReasonOf(given: string): string {
  const reason = given.trim();
  if (looksBlank(reason))
    throw new BadUserInputError('reason: say why the grant is revoked; its consumer and auditors read it.', {
      argument: 'reason',
    });
  const length = [...reason].length;
  if (length > MAX_REVOKE_REASON_LENGTH)
    throw new BadUserInputError(`reason: at most ${MAX_REVOKE_REASON_LENGTH} characters, got ${length}.`, {
      argument: 'reason',
      reason: 'too_long',
      length,
      limit: MAX_REVOKE_REASON_LENGTH,
    });
  return reason;
}

export const AdministrationQuery: Pick<QueryResolvers, 'grants' | 'accessLog'> = {
  grants: async (_, { activeOnly }, context) => {
    const { grants, caller } = administrationOf(context);
    const listed = await grants.list(activeOnly ? { activeAt: new Date() } : { includeRevoked: true });
    // An agency's administrator sees the agreements it could administer and those addressed to it.
    return listed.filter((grant) => maySeeGrant(caller, grant));
  },
  accessLog: async (_, { subject, authorityCode, first, after }, context) => {
    const size = pageSize('accessLog', first);
    // A bad cursor is refused by the log itself (InvalidCursorError, a BAD_USER_INPUT).
    // An older inspection names its enterprise by the legacy registration number it was filed under.
    // Read from the gateway's own registry only: an agency being down must not fail an audit query.
    const legacyRegNo = subject ? (await context.registry.findByUsccs([subject]))[0]?.legacyRegNo : undefined;
    const page = await administrationOf(context).accessLog.query(
      {
        subject: subject ?? undefined,
        subjectAliases: legacyRegNo ? [legacyRegNo] : [],
        authorityCode: authorityCode ?? undefined,
      },
      { first: size, after: after ?? undefined },
    );
    return { entries: page.items, pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage } };
  },
};

export const Grant: GrantResolvers = {
  ownerSystem: (grant) => grant.ownerSystem.toUpperCase() as Uppercase<typeof grant.ownerSystem>,
  origin: (grant) => grant.origin.kind,
  sharingRequestId: (grant) => (grant.origin.kind === 'SHARING_REQUEST' ? grant.origin.sharingRequestId : null),
};

export const AccessLogEntry: AccessLogEntryResolvers = {
  conditionalGrants: (entry) =>
    Object.entries(entry.conditionalGrants)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([field, grantId]) => ({ field, grantId })),
};
