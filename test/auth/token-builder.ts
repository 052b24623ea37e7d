import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { DEFAULT_AUDIENCE } from '../../src/auth/audience.ts';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { createTokenVerifier, type TokenVerifier } from '../../src/auth/verify-token.ts';

/** A key pair of a test issuer: the private half signs, the public JWK goes into configuration or a JWKS. */
export interface SigningKey {
  alg: string;
  /** Undefined signs a token that names no key id. */
  kid: string | undefined;
  privateKey: CryptoKey | Uint8Array;
  publicJwk: JWK;
}

export async function aSigningKey(
  alg: 'ES256' | 'RS256' | 'PS256' | 'ES384' | 'EdDSA' = 'ES256',
  kid = `key-${alg}`,
): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** An HMAC "key": what an attacker who knows a shared secret (or a public key used as one) would sign with. */
export function aSharedSecret(kid = 'key-ES256'): SigningKey {
  return {
    alg: 'HS256',
    kid,
    privateKey: new TextEncoder().encode('a shared secret of at least 32 bytes!'),
    publicJwk: {},
  };
}

/** A verifier configured as a deployment would be, trusting one issuer that signs with any of `keys`. */
export function aVerifierTrusting(issuer: string, ...keys: SigningKey[]): TokenVerifier {
  const trusted = keys.map((key) => key.publicJwk);
  return createTokenVerifier(loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer, keys: trusted }]) }));
}

const HOUR = 3600;

/**
 * Builds a token claim by claim, starting from a valid township officer's; each step returns a
 * new builder, so a test states only what differs from a good token.
 */
export class TokenBuilder {
  private constructor(
    private readonly payload: Readonly<JWTPayload>,
    private readonly header: Readonly<Record<string, unknown>>,
  ) {}

  static for(issuer: string): TokenBuilder {
    const now = Math.floor(Date.now() / 1000);
    return new TokenBuilder(
      {
        iss: issuer,
        aud: DEFAULT_AUDIENCE,
        sub: 'officer-17',
        iat: now,
        exp: now + HOUR,
        authority: '330381001-ZFD',
        authority_kind: 'TOWNSHIP_ENFORCEMENT_TEAM',
        jurisdiction: '330381001',
        roles: ['OFFICER'],
        client_kind: 'person',
      },
      {},
    );
  }

  with(claims: JWTPayload): TokenBuilder {
    return new TokenBuilder({ ...this.payload, ...claims }, this.header);
  }

  without(...claims: string[]): TokenBuilder {
    const payload = { ...this.payload };
    for (const claim of claims) delete payload[claim];
    return new TokenBuilder(payload, this.header);
  }

  withHeader(header: Record<string, unknown>): TokenBuilder {
    return new TokenBuilder(this.payload, { ...this.header, ...header });
  }

  expiredAt(date: Date): TokenBuilder {
    return this.with({ exp: Math.floor(date.getTime() / 1000), iat: Math.floor(date.getTime() / 1000) - HOUR });
  }

  notBefore(date: Date): TokenBuilder {
    return this.with({ nbf: Math.floor(date.getTime() / 1000) });
  }

  /** The claims as they stand, for a test that signs by other means. */
  claims(): JWTPayload {
    return { ...this.payload };
  }

  async signedWith(key: SigningKey): Promise<string> {
    return new SignJWT({ ...this.payload })
      .setProtectedHeader({
        alg: key.alg,
        ...(key.kid === undefined ? {} : { kid: key.kid }),
        typ: 'JWT',
        ...this.header,
      })
      .sign(key.privateKey);
  }

  /** `alg: none`: a header and a payload, no signature at all. */
  unsigned(): string {
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part({ alg: 'none', typ: 'JWT', ...this.header })}.${part(this.payload)}.`;
  }
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}
