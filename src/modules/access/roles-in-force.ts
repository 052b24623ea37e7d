import type { Principal, Role } from '../../auth/principal.ts';

/**
 * Roles whose standing is over the whole area the gateway serves: an auditor reads every
 * authority's access-log entries, transfers and sharing requests. Such a role holds here only for
 * a caller whose jurisdiction covers that area (the county or above): an auditor of another county,
 * or of one township, audits nothing of this county's as an auditor, whatever its token says.
 */
const AREA_WIDE_ROLES: ReadonlySet<Role> = new Set(['AUDITOR']);

/** The caller's roles that hold in this gateway; `coversServedArea` unknown counts as not covering (fail closed). */
export function rolesInForce(roles: readonly Role[], coversServedArea: boolean | undefined): Role[] {
  return roles.filter((role) => coversServedArea === true || !AREA_WIDE_ROLES.has(role));
}

/** The caller as the services act for it: its token's identity with the roles that hold here. */
export function actingPrincipal(principal: Principal, coversServedArea: boolean | undefined): Principal {
  const roles = rolesInForce(principal.roles, coversServedArea);
  return roles.length === principal.roles.length ? principal : { ...principal, roles };
}
