import { createLocalJWKSet, createRemoteJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { IssuerUnavailableError } from './issuer-unavailable-error.ts';

/**
 * How long the keys last fetched are still trusted while the identity platform cannot be reached.
 * jose refetches a set older than ten minutes before every verification, so without this an
 * outage of the platform would refuse every token after ten minutes, those of keys already known
 * included; past a day, a key the platform withdrew meanwhile is no longer taken on trust.
 */
export const STALE_KEYS_TRUSTED_MS = 24 * 60 * 60 * 1000;

/**
 * The key resolver of an issuer publishing its keys at a JWKS URL. A key the set does not hold is
 * the token's fault (bad_signature); a key set that cannot be fetched or read is the provider's,
 * and must not be reported as a bad token: the keys last fetched then verify the tokens they
 * can, for at most `STALE_KEYS_TRUSTED_MS`, and any other token is answered ISSUER_UNAVAILABLE.
 */
export function remoteKeys(issuer: string, url: URL, now: () => number = () => Date.now()): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(url);
  let lastFetched: { keys: JSONWebKeySet; at: number } | undefined;
  return async (header, token) => {
    try {
      const key = await keySet(header, token);
      const keys = keySet.jwks();
      if (keys && keys !== lastFetched?.keys && keySet.fresh) lastFetched = { keys, at: now() };
      return key;
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof errors.JOSENotSupported) throw error;
      const unavailable = new IssuerUnavailableError(issuer, error instanceof Error ? error.message : String(error));
      if (!lastFetched || now() - lastFetched.at > STALE_KEYS_TRUSTED_MS) throw unavailable;
      try {
        return await createLocalJWKSet(lastFetched.keys)(header, token);
      } catch {
        // Not among the keys last fetched: perhaps a new one the platform cannot tell us about now.
        throw unavailable;
      }
    }
  };
}
