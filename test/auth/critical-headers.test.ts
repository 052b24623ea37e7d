import { beforeAll, describe, expect, it } from 'vitest';
import { AuthenticationError } from '../../src/auth/authentication-error.ts';
import type { TokenVerifier } from '../../src/auth/verify-token.ts';
import { TokenBuilder, aSigningKey, aVerifierTrusting, bearer, type SigningKey } from './token-builder.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';

let key: SigningKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  key = await aSigningKey('ES256');
  verifier = aVerifierTrusting(ISSUER, key);
});

async function refusal(header: string): Promise<AuthenticationError> {
  const thrown = await verifier.verify(header).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(AuthenticationError);
  return thrown as AuthenticationError;
}

/** A token with a hand-made header and a signature of garbage, as an attacker sends it. */
function garbageSigned(header: Record<string, unknown>): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part(header)}.${part({ iss: ISSUER, sub: 'x', exp: now + 60 })}.AAAA`;
}

/** jose will not sign a header with an extension it does not know, so this signs ES256 with WebCrypto directly. */
async function signedByHand(header: Record<string, unknown>): Promise<string> {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${part(header)}.${part({ ...TokenBuilder.for(ISSUER).claims(), exp: now + 60 })}`;
  if (key.privateKey instanceof Uint8Array) throw new Error('an ES256 key is a CryptoKey');
  const signature = await crypto.subtle.sign(
    { name: 'ECDSA', hash: 'SHA-256' },
    key.privateKey,
    new TextEncoder().encode(input),
  );
  return `${input}.${Buffer.from(signature).toString('base64url')}`;
}

describe('a token with critical header extensions (crit)', () => {
  it('is refused as unsupported_header, naming the extension, even with a garbage signature', async () => {
    const error = await refusal(bearer(garbageSigned({ alg: 'ES256', kid: key.kid, crit: ['exp'], exp: 1 })));
    expect(error.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'unsupported_header' });
    expect(error.message).toContain('"exp"');
  });

  it('is refused as unsupported_header when validly signed: the gateway implements no extension', async () => {
    const signed = await signedByHand({
      alg: 'ES256',
      kid: key.kid,
      crit: ['http://example.gov.cn/ext'],
      'http://example.gov.cn/ext': true,
    });
    expect((await refusal(bearer(signed))).reason).toBe('unsupported_header');
  });

  it('is refused as unsupported_header for b64, which a JWT may not use', async () => {
    expect((await refusal(bearer(garbageSigned({ alg: 'ES256', b64: false, crit: ['b64'] })))).reason).toBe(
      'unsupported_header',
    );
  });

  it.each([
    ['a string', 'exp'],
    ['an empty list', []],
    ['a list with an empty name', ['']],
    ['a list of numbers', [1]],
  ])('is refused as malformed_token when crit is %s', async (_, crit) => {
    expect((await refusal(bearer(garbageSigned({ alg: 'ES256', crit })))).reason).toBe('malformed_token');
  });
});
