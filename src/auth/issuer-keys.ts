import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import type { TrustedIssuer } from './auth-config.ts';
import { demoIssuerKeys } from './demo-issuer.ts';
import { remoteKeys } from './remote-keys.ts';

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
