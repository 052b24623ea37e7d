import { createPublicKey } from 'node:crypto';
import type { JWK } from 'jose';

/** A key as configuration gives it: a public JWK, a PEM (SPKI or certificate), or `{ pem, kid }`. */
export type ConfiguredKey = string | Readonly<Record<string, unknown>>;

const ASYMMETRIC_KEY_TYPES: readonly string[] = ['RSA', 'EC', 'OKP'];

/**
 * Turns a configured key into a public JWK, or throws saying why it cannot be one. Private and
 * symmetric keys are refused: a gateway that verifies tokens has no business holding either.
 * A PEM carries no key id; give `kid` when the issuer's tokens name one, or they will not match.
 */
export function publicJwkFrom(key: ConfiguredKey): JWK {
  if (typeof key === 'string') return publicJwkFromPem(key, undefined);
  if (typeof key.pem === 'string') {
    return publicJwkFromPem(key.pem, typeof key.kid === 'string' ? key.kid : undefined);
  }
  const { kty } = key;
  if (typeof kty !== 'string' || !ASYMMETRIC_KEY_TYPES.includes(kty)) {
    throw new Error(`a key must be a PEM or a JWK with kty RSA, EC or OKP (got kty ${JSON.stringify(kty)})`);
  }
  if ('d' in key) throw new Error('a JWK with "d" is a private key; give the public key');
  try {
    createPublicKey({ key: key as JsonWebKeyInput['key'], format: 'jwk' });
  } catch (error) {
    throw new Error(`the JWK is not a usable public key (${errorMessage(error)})`, { cause: error });
  }
  return { ...key } as JWK;
}

type JsonWebKeyInput = Extract<Parameters<typeof createPublicKey>[0], { format: 'jwk' }>;

function publicJwkFromPem(pem: string, kid: string | undefined): JWK {
  if (/PRIVATE KEY/.test(pem)) throw new Error('the PEM is a private key; give the public key');
  let jwk: JWK;
  try {
    jwk = createPublicKey(pem).export({ format: 'jwk' }) as JWK;
  } catch (error) {
    throw new Error(`the PEM is not a usable public key (${errorMessage(error)})`, { cause: error });
  }
  if (!jwk.kty || !ASYMMETRIC_KEY_TYPES.includes(jwk.kty)) throw new Error(`unsupported key type ${jwk.kty}`);
  return kid === undefined ? jwk : { ...jwk, kid };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
