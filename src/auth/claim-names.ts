/**
 * Which claims carry the caller's attributes. Identity providers differ (the provincial platform,
 * Keycloak, the demo issuer), so each name is configurable; a name with dots that is not itself a
 * claim is read as a path into nested claims, e.g. `realm_access.roles`.
 */
export interface ClaimNames {
  /** The authority the caller acts for, e.g. `330381001-ZFD`. */
  authority: string;
  /** One of AuthorityKind, e.g. `TOWNSHIP_ENFORCEMENT_TEAM`. */
  authorityKind: string;
  /** A 6- or 9-digit division code. */
  jurisdiction: string;
  /** An array of Role names, or one space-separated string. */
  roles: string;
  /** `system` or `person`. */
  clientKind: string;
  /** The client the token was issued to; when clientKind is absent and it equals `sub`, the caller is a system. */
  clientId: string;
  /** The case or matter number the caller works on. */
  purpose: string;
}

export const DEFAULT_CLAIM_NAMES: Readonly<ClaimNames> = {
  authority: 'authority',
  authorityKind: 'authority_kind',
  jurisdiction: 'jurisdiction',
  roles: 'roles',
  clientKind: 'client_kind',
  clientId: 'azp',
  purpose: 'purpose',
};

/** The value of a claim by its configured name: the claim itself, else a dotted path into nested claims. */
export function readClaim(payload: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(payload, name)) return payload[name];
  if (!name.includes('.')) return undefined;
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
