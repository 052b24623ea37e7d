import fc from 'fast-check';
import { SignJWT, type JWTHeaderParameters } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHENTICATION_REASONS, AuthenticationError } from '../../src/auth/authentication-error.ts';
import type { TokenVerifier } from '../../src/auth/verify-token.ts';
import { aSigningKey, aVerifierTrusting, type SigningKey } from './token-builder.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';

let key: SigningKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  key = await aSigningKey('ES256');
  verifier = aVerifierTrusting(ISSUER, key);
});

/** Whatever the verifier does with a header, it is a caller or a 401 with a reason clients know; never anything else. */
async function expectCallerOrKnownRefusal(header: string): Promise<void> {
  const outcome = await verifier.verify(header).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) return;
  expect(outcome).toBeInstanceOf(AuthenticationError);
  expect(AUTHENTICATION_REASONS).toContain((outcome as AuthenticationError).reason);
}

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Values a header parameter or claim may take in an attacker's hands. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.string(),
  fc.constantFrom(ISSUER, 'ES256', 'RS256', 'none', 'HS256', 'key-ES256'),
);

const headerParams = fc.record(
  {
    alg: fc.oneof(
      fc.constantFrom('ES256', 'RS256', 'PS256', 'EdDSA', 'ES512', 'none', 'HS256', 'RSA-OAEP', 'dir', ''),
      anyValue,
    ),
    kid: anyValue,
    crit: fc.oneof(fc.array(fc.string()), anyValue),
    b64: anyValue,
    typ: anyValue,
    jku: anyValue,
    jwk: anyValue,
    x5u: anyValue,
    x5c: anyValue,
    zip: anyValue,
    enc: anyValue,
  },
  { requiredKeys: [] },
);

const claims = fc.record(
  {
    iss: fc.oneof(fc.constant(ISSUER), anyValue),
    sub: anyValue,
    aud: anyValue,
    exp: fc.oneof(fc.constant(Math.floor(Date.now() / 1000) + 3600), anyValue),
    nbf: anyValue,
    iat: anyValue,
    authority: anyValue,
    authority_kind: anyValue,
    jurisdiction: anyValue,
    roles: anyValue,
    client_kind: anyValue,
    purpose: anyValue,
  },
  { requiredKeys: [] },
);

/** One segment of a compact token: JSON, random bytes, random base64url text or any text at all. */
const segment = fc.oneof(
  fc.oneof(headerParams, claims).map(b64),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url')),
  fc.stringMatching(/^[A-Za-z0-9_-]{0,40}$/),
  fc.string({ maxLength: 40 }),
);

const compactToken = fc.array(segment, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.'));

describe('the token verifier under random input', () => {
  it('answers any header and segments with a caller or a 401 with a known reason', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          compactToken.map((token) => `Bearer ${token}`),
          fc.tuple(headerParams, claims, segment).map(([h, c, s]) => `Bearer ${b64(h)}.${b64(c)}.${s}`),
          fc.string({ maxLength: 200 }),
        ),
        expectCallerOrKnownRefusal,
      ),
      { numRuns: 400 },
    );
  });

  it('answers tokens validly signed over random headers and claims with a caller or a 401 with a known reason', async () => {
    await fc.assert(
      fc.asyncProperty(headerParams, claims, async (header, payload) => {
        let token: string;
        try {
          token = await new SignJWT(payload as Record<string, unknown>)
            .setProtectedHeader({ ...header, alg: 'ES256', kid: key.kid } as JWTHeaderParameters)
            .sign(key.privateKey);
        } catch {
          // jose refuses to sign some headers (a malformed crit); the first property covers those unsigned.
          token = `${b64({ ...header, alg: 'ES256', kid: key.kid })}.${b64(payload)}.${b64('not a signature')}`;
        }
        await expectCallerOrKnownRefusal(`Bearer ${token}`);
      }),
      { numRuns: 200 },
    );
  });
});
