import { GraphQLError } from 'graphql';
import type { Principal } from '../../auth/principal.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../../domain/types.ts';
import { isOwnedBy, type Grant } from '../access/index.ts';

type Caller = Pick<Principal, 'authorityCode' | 'authorityKind'>;

/**
 * What an administrator (role ADMIN) acts for. The gateway's operator — an authority that owns no
 * agency system, such as the big-data office running it — administers for every authority: it
 * records the agreements owners made and sets up each agency's webhooks. An agency's
 * administrator acts for its own authority and its own system's data only: it grants and revokes
 * grants of that data (another agency's it asks for with `submitSharingRequest`, whose refusal a
 * direct grant would otherwise overrule), and it subscribes, reads and replays its own authority's
 * events (naming another authority would send that authority's events to its webhook).
 */
export function isGatewayOperator(caller: Pick<Principal, 'authorityKind'>): boolean {
  return !AGENCY_SYSTEMS.some((system) => isOwnedBy(system, caller.authorityKind));
}

export function mayAdministerGrantsOf(caller: Pick<Principal, 'authorityKind'>, ownerSystem: AgencySystem): boolean {
  return isGatewayOperator(caller) || isOwnedBy(ownerSystem, caller.authorityKind);
}

/** A grant an administrator may see: one of its own system's data, or one addressed to its authority or kind. */
export function maySeeGrant(
  caller: Caller,
  grant: Pick<Grant, 'ownerSystem' | 'consumerAuthorityCode' | 'consumerAuthorityKind'>,
): boolean {
  return (
    mayAdministerGrantsOf(caller, grant.ownerSystem) ||
    grant.consumerAuthorityCode === caller.authorityCode ||
    grant.consumerAuthorityKind === caller.authorityKind
  );
}

export function mayActForAuthority(caller: Caller, authorityCode: string): boolean {
  return isGatewayOperator(caller) || caller.authorityCode === authorityCode;
}

/** FORBIDDEN with rule `not-the-owner` (as an answer to another owner's sharing request) unless the caller may. */
export function assertMayAdministerGrantsOf(
  caller: Caller,
  ownerSystem: AgencySystem,
  doing: 'create' | 'revoke',
): void {
  if (mayAdministerGrantsOf(caller, ownerSystem)) return;
  throw new GraphQLError(
    `Not allowed: ${caller.authorityCode} does not own the ${ownerSystem} system's data, so its administrators do not ${doing} grants of it; ask the owner (submitSharingRequest).`,
    { extensions: { code: 'FORBIDDEN', rule: 'not-the-owner' } },
  );
}

/** FORBIDDEN with rule `other-authority` unless the caller may act for that authority. */
export function assertMayActForAuthority(caller: Caller, authorityCode: string, doing: string): void {
  if (mayActForAuthority(caller, authorityCode)) return;
  throw new GraphQLError(
    `Not allowed: an administrator of ${caller.authorityCode} ${doing} for its own authority only, not for ${authorityCode}.`,
    { extensions: { code: 'FORBIDDEN', rule: 'other-authority' } },
  );
}
