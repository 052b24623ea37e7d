import { GraphQLError } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import type { Principal } from '../../auth/principal.ts';
import { AGENCY_SYSTEMS, type AgencySystem, type Authority, type AuthorityKind } from '../../domain/types.ts';
import { assertGrantConfined, isOwnedBy, jurisdictionPrefix, type Grant } from '../access/index.ts';

/**
 * An administrator as its scope is decided: its token's authority, and whether its jurisdiction
 * reaches the area the gateway serves (`ServedArea`). Without that, it is neither the gateway's
 * operator nor an owner here, whatever its kind: an analysis office or approval bureau of another
 * county administers nothing of this county's data. One that reaches it without covering it (a
 * township team) owns its system's rows of its township only, and grants accordingly
 * (`assertGrantPlacedWithin`).
 */
export type Caller = Pick<Principal, 'authorityCode' | 'authorityKind' | 'jurisdictionCode'> & {
  reachesServedArea: boolean;
  coversServedArea: boolean;
};

/** The request's administrator with its standing; unknown standing (no sharing rules built) reaches nothing. */
export function administratorOf(context: Pick<GatewayContext, 'principal' | 'permissions'>): Caller {
  const principal = context.principal;
  if (!principal) throw new Error('administratorOf: an authenticated request has a principal');
  const { authorityCode, authorityKind, jurisdictionCode } = principal;
  const standing = context.permissions?.standing;
  const reachesServedArea = standing?.reachesServedArea ?? false;
  const coversServedArea = standing?.coversServedArea ?? false;
  return { authorityCode, authorityKind, jurisdictionCode, reachesServedArea, coversServedArea };
}

/**
 * What an administrator (role ADMIN) acts for. The gateway's operator — an authority that owns no
 * agency system, such as the big-data office running it — administers for every authority: it
 * records the agreements owners made and sets up each agency's webhooks. An agency's
 * administrator acts for its own authority and its own system's data only: it grants and revokes
 * grants of that data (another agency's it asks for with `submitSharingRequest`, whose refusal a
 * direct grant would otherwise overrule), and it subscribes, reads and replays its own authority's
 * events (naming another authority would send that authority's events to its webhook).
 */
export function isGatewayOperator(caller: Pick<Caller, 'authorityKind' | 'reachesServedArea'>): boolean {
  return caller.reachesServedArea && !AGENCY_SYSTEMS.some((system) => isOwnedBy(system, caller.authorityKind));
}

export function mayAdministerGrantsOf(
  caller: Pick<Caller, 'authorityKind' | 'reachesServedArea'>,
  ownerSystem: AgencySystem,
): boolean {
  return isGatewayOperator(caller) || (caller.reachesServedArea && isOwnedBy(ownerSystem, caller.authorityKind));
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

/**
 * FORBIDDEN with rule `beyond-jurisdiction` when an agency's administrator grants (or revokes a grant) to a consumer
 * outside its jurisdiction: a grant has no place of its own, so the consumer would read under it
 * every record of its own, wider, jurisdiction (a township team granting the county's data). A
 * kind reaches every authority of that kind; an unknown code cannot be shown to lie within.
 */
export function assertGrantWithinJurisdiction(
  caller: Caller,
  consumer: { authorityCode: string | null; authorityKind: AuthorityKind | null },
  authorities: ReadonlyMap<string, Authority>,
): void {
  if (isGatewayOperator(caller)) return;
  const prefix = jurisdictionPrefix(caller.jurisdictionCode);
  const reached =
    consumer.authorityCode !== null
      ? [authorities.get(consumer.authorityCode) ?? null]
      : [...authorities.values()].filter((authority) => authority.kind === consumer.authorityKind);
  const beyond = reached.filter((authority) => authority === null || !authority.jurisdictionCode.startsWith(prefix));
  if (beyond.length === 0) return;
  throw new GraphQLError(
    `Not allowed: an administrator of ${caller.authorityCode} grants and revokes only grants to consumers within its jurisdiction (${caller.jurisdictionCode}); ${beyond
      .map((authority) =>
        authority === null
          ? `${consumer.authorityCode} is not a known authority`
          : `${authority.code} is in ${authority.jurisdictionCode}`,
      )
      .join(', ')}.`,
    { extensions: { code: 'FORBIDDEN', rule: 'beyond-jurisdiction' } },
  );
}

/**
 * FORBIDDEN with rule `beyond-jurisdiction` when an agency's administrator whose jurisdiction does
 * not cover the served area (a township team) grants, or revokes, fields of records not confined to
 * the consumer's jurisdiction: the consumer lying within the township is not enough, since a
 * grant has no place and opens such a field on every township's rows (a penalty's execution
 * wherever its case arose). The gateway's operator records agreements for every owner.
 */
export function assertGrantPlacedWithin(
  caller: Caller,
  fields: readonly string[],
  confinedTypes: readonly string[],
): void {
  if (isGatewayOperator(caller) || caller.coversServedArea) return;
  assertGrantConfined(caller, fields, confinedTypes);
}
