import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuer } from './auth-config.ts';
import { demoIssuerKeys } from './demo-issuer.ts';
import { IssuerUnavailableError } from './issuer-unavailable-error.ts';

/**
 * The key resolver of one trusted issuer. Each verifier makes its own, so the remote key set is
 * cached (by jose) for the verifier's lifetime and never shared through module state.
 */
export function issuerKeyResolver(trusted: TrustedIssuer): JWTVerifyGetKey {
  const source = trusted.keys;
  switch (source.kind) {
    case 'jwks':
      return remoteKeys(trusted.issuer, new URL(source.url));
    case 'keys':
      return createLocalJWKSet({ keys: [...source.keys] });
    case 'demo':
      return demoKeys(source.dataDir);
  }
}

/**
 * A key the set does not hold is the token's fault (bad_signature); a key set that cannot be
 * fetched or read is the provider's, and must not be reported as a bad token.
 */
function remoteKeys(issuer: string, url: URL): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(url);
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      if (error instanceof errors.JOSENotSupported) throw error;
      throw new IssuerUnavailableError(issuer, error instanceof Error ? error.message : String(error));
    }
  };
}

/** Reads (on first use, generates) the demo key once; a failed read is retried on the next token. */
function demoKeys(dataDir: string): JWTVerifyGetKey {
  let keySet: Promise<JWTVerifyGetKey> | undefined;
  return async (header, token) => {
    keySet ??= demoIssuerKeys(dataDir).then(({ publicJwk }) => createLocalJWKSet({ keys: [publicJwk] }));
    try {
      return await (
        await keySet
      )(header, token);
    } catch (error) {
      if (!(error instanceof errors.JOSEError)) keySet = undefined;
      throw error;
    }
  };
}
