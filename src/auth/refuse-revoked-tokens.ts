import { AuthenticationError } from './authentication-error.ts';
import type { TokenVerifier } from './verify-token.ts';

/** The revoked tokens as this gateway knows them; kept in memory so asking costs no store read. */
export interface RevokedTokens {
  /**
   * Throws when the list cannot be trusted to be current (not refreshed from the store for too
   * long): a token revoked on another instance meanwhile would otherwise be let through.
   */
  assertCurrent(): void;
  isRevoked(issuer: string, jti: string): boolean;
}

/**
 * Refuses a verified token that was revoked, 401 with reason `token_revoked`. Wrapped around the
 * verified-token cache, not inside it, so a revocation reaches a token remembered as verified at
 * once: the check is a map lookup per request.
 */
export function refuseRevokedTokens(verifier: TokenVerifier, revoked: RevokedTokens): TokenVerifier {
  return {
    async verify(authorizationHeader) {
      const principal = await verifier.verify(authorizationHeader);
      const jti = principal.token?.jti;
      if (jti === null || jti === undefined) return principal;
      revoked.assertCurrent();
      if (revoked.isRevoked(principal.issuer, jti)) {
        throw new AuthenticationError(
          'token_revoked',
          'The token was revoked (signed out, or by an administrator); sign in again for a new one.',
        );
      }
      return principal;
    },
  };
}
