import type { GatewayContext } from '../../context.ts';
import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { RevocationMutation } from './resolvers.ts';
import type { TokenRevocations } from './token-revocations.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const revocationSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Mutation: RevocationMutation },
};

/**
 * Token revocation (signing out, an administrator ending a stolen token). On while authentication
 * is: the list is loaded before the gateway listens and reloaded until it stops; /readyz fails
 * while it cannot be reloaded for too long.
 */
export function revocationModule(revocations: TokenRevocations): GatewayModule<GatewayContext> {
  return {
    name: 'revocation',
    healthName: 'revokedTokens',
    ...revocationSchema,
    context: () => ({ revocations }),
    start: () => revocations.list.start(),
    stop: () => revocations.list.stop(),
    health: () => revocations.list.health(),
  };
}
