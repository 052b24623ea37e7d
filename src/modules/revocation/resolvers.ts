import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import { formatChinaInstant } from '../../domain/china-time.ts';
import type { MutationResolvers, TokenRevocationResult } from '../../generated/graphql.ts';
import { administratorOf, isGatewayOperator } from '../administration/index.ts';
import type { RevocationResult } from './token-revocations.ts';

/** The revocation fields exist only with authentication on: without a token there is nothing to revoke. */
function revocationsOf(context: GatewayContext) {
  if (!context.revocations || !context.principal) {
    throw new GraphQLError('Token revocation needs authentication: set AUTH_REQUIRED=true.', {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  const { principal } = context;
  return { revocations: context.revocations, principal, actor: `${principal.subject}@${principal.authorityCode}` };
}

export const RevocationMutation: Pick<MutationResolvers, 'revokeOwnToken' | 'revokeToken'> = {
  revokeOwnToken: async (_, _args, context) => {
    const { revocations, principal, actor } = revocationsOf(context);
    return answer(await revocations.revokeOwn(principal, actor));
  },
  revokeToken: async (_, { issuer, jti }, context) => {
    const { revocations, actor } = revocationsOf(context);
    // Whose token a jti is, the gateway cannot tell: only the operator's administrators, who
    // answer for every authority here, may end any token (an agency's could end another's sessions).
    if (!isGatewayOperator(administratorOf(context))) {
      throw new GraphQLError(
        "Not allowed: only administrators of the gateway's operator revoke other callers' tokens; to sign out, use revokeOwnToken.",
        { extensions: { code: 'FORBIDDEN', rule: 'not-the-operator' } },
      );
    }
    return answer(await revocations.revokeById(issuer, jti, actor));
  },
};

function answer(result: RevocationResult): TokenRevocationResult {
  return { ...result, expiresAt: formatChinaInstant(result.expiresAt.getTime()) };
}
