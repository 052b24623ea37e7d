import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../../domain/types.ts';
import { isOwnedBy } from '../access/index.ts';

/**
 * Whose administrators may create and revoke grants of a system's data: the authorities that own
 * the system (an owner shares its own data), and authorities that own no system at all — the
 * office running the gateway (the big-data office), which records agreements the owners made.
 * An agency's administrator never grants another agency's data, to itself or to anyone: it asks
 * the owner (`submitSharingRequest`), whose refusal a direct grant would otherwise overrule; nor
 * revokes grants the owner gave.
 */
export function mayAdministerGrantsOf(caller: Pick<Principal, 'authorityKind'>, ownerSystem: AgencySystem): boolean {
  const ownsSome = AGENCY_SYSTEMS.some((system) => isOwnedBy(system, caller.authorityKind));
  return !ownsSome || isOwnedBy(ownerSystem, caller.authorityKind);
}

/** FORBIDDEN with rule `not-the-owner` (as an answer to another owner's sharing request) unless the caller may. */
export function assertMayAdministerGrantsOf(
  caller: Pick<Principal, 'authorityCode' | 'authorityKind'>,
  ownerSystem: AgencySystem,
  doing: 'create' | 'revoke',
): void {
  if (mayAdministerGrantsOf(caller, ownerSystem)) return;
  throw new GraphQLError(
    `Not allowed: ${caller.authorityCode} does not own the ${ownerSystem} system's data, so its administrators do not ${doing} grants of it; ask the owner (submitSharingRequest).`,
    { extensions: { code: 'FORBIDDEN', rule: 'not-the-owner' } },
  );
}
