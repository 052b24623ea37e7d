import type { AuthorityKind } from '../domain/types.ts';

/** Roles a token can carry; what each may do is decided by the permission layer. */
export type Role = 'ADMIN' | 'AUDITOR' | 'ANALYST' | 'OFFICER' | 'SYSTEM';
export const ROLES: readonly Role[] = ['ADMIN', 'AUDITOR', 'ANALYST', 'OFFICER', 'SYSTEM'];

/**
 * Who is calling, as a verified token says: an agency system (machine client) or a person
 * acting for an authority. Built only by token verification; never from unverified input.
 */
export interface Principal {
  /** The token's subject: a person's or a client's id at the identity provider. */
  subject: string;
  /** The issuer that signed the token. */
  issuer: string;
  kind: 'SYSTEM' | 'PERSON';
  /** The authority the caller acts for, e.g. `330381001-ZFD`. */
  authorityCode: string;
  authorityKind: AuthorityKind;
  /** The authority's division: a 6-digit county (or wider) code or a 9-digit township code. */
  jurisdictionCode: string;
  roles: readonly Role[];
  /** The case or matter number the caller works on, when the token carries one (a header may also). */
  purpose: string | null;
  /**
   * The token itself, for revoking it: its `jti` (null when it has none, and so cannot be revoked
   * on its own) and its `exp`. Set by token verification; absent on principals built otherwise.
   */
  token?: TokenIdentity;
}

/** What names a token for revocation, with its issuer: `jti` is unique only within the issuer. */
export interface TokenIdentity {
  jti: string | null;
  expiresAt: Date;
}
