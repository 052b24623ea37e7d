import { decodeJwt } from 'jose';
import type { Principal } from './principal.ts';
import type { TokenVerifier } from './verify-token.ts';

/** How long a verified token is taken on trust before its signature is checked again. */
export const VERIFIED_TOKEN_TTL_MS = 30_000;
/** Tokens remembered at most; the oldest is dropped first. */
const MAX_TOKENS = 10_000;

interface Verified {
  principal: Principal;
  /** When it was verified, epoch ms: a clock set back before it means the trust's span cannot be told. */
  at: number;
  /** The earlier of the token's own expiry and the end of the cache lifetime, epoch ms. */
  until: number;
}

/**
 * Remembers the callers of tokens already verified, so a client sending the same token again
 * does not pay for another signature check (an ECDSA verification was most of the
 * authentication cost per request). Only an exact token already accepted is remembered: a
 * refused token is checked afresh every time, and an accepted one is never trusted past its own
 * `exp`. A change of the issuer's keys (a key withdrawn from its JWKS) reaches tokens already
 * remembered within VERIFIED_TOKEN_TTL_MS. A clock set back (an NTP step) would stretch that span
 * by as much: a token remembered at a time now in the future is checked afresh.
 */
export function cacheVerifiedTokens(
  verifier: TokenVerifier,
  options: { ttlMs?: number; maxTokens?: number; now?: () => number } = {},
): TokenVerifier {
  const ttlMs = options.ttlMs ?? VERIFIED_TOKEN_TTL_MS;
  const maxTokens = options.maxTokens ?? MAX_TOKENS;
  const now = options.now ?? Date.now;
  const verified = new Map<string, Verified>();

  return {
    async verify(authorizationHeader) {
      const key = authorizationHeader ?? '';
      const remembered = verified.get(key);
      const at = now();
      if (remembered && remembered.at <= at && at < remembered.until) return remembered.principal;
      verified.delete(key);

      const principal = Object.freeze(await verifier.verify(authorizationHeader));
      // Verified, so the header holds a JWT with a numeric exp (a required claim).
      const { exp } = decodeJwt(key.trim().split(/\s+/)[1] ?? '');
      const verifiedAt = now();
      const until = Math.min(verifiedAt + ttlMs, typeof exp === 'number' ? exp * 1000 : 0);
      if (until > verifiedAt) {
        verified.set(key, { principal, at: verifiedAt, until });
        if (verified.size > maxTokens) verified.delete(verified.keys().next().value!);
      }
      return principal;
    },
  };
}
