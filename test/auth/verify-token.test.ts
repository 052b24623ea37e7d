import { beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt, type JWTPayload } from 'jose';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { AuthenticationError, type AuthenticationReason } from '../../src/auth/authentication-error.ts';
import { createTokenVerifier, type TokenVerifier } from '../../src/auth/verify-token.ts';
import {
  TokenBuilder,
  aSharedSecret,
  aSigningKey,
  aVerifierTrusting,
  bearer,
  type SigningKey,
} from './token-builder.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';

let key: SigningKey;
let verifier: TokenVerifier;

beforeAll(async () => {
  key = await aSigningKey('ES256');
  verifier = aVerifierTrusting(ISSUER, key);
});

const token = (): TokenBuilder => TokenBuilder.for(ISSUER);

async function refusal(header: string | undefined): Promise<AuthenticationError> {
  const error = await verifier.verify(header).then(
    (principal) => new Error(`expected a refusal, got ${JSON.stringify(principal)}`),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AuthenticationError);
  return error as AuthenticationError;
}

async function expectRefused(header: string | undefined, reason: AuthenticationReason): Promise<AuthenticationError> {
  const error = await refusal(header);
  expect({ reason: error.reason, extensions: error.extensions }).toEqual({
    reason,
    extensions: { code: 'UNAUTHENTICATED', reason },
  });
  return error;
}

describe('a good token', () => {
  it('verifies to the principal its claims describe', async () => {
    const principal = await verifier.verify(
      bearer(await token().with({ purpose: '瑞执罚〔2026〕12号' }).signedWith(key)),
    );
    expect(principal).toEqual({
      subject: 'officer-17',
      issuer: ISSUER,
      kind: 'PERSON',
      authorityCode: '330381001-ZFD',
      authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
      jurisdictionCode: '330381001',
      roles: ['OFFICER'],
      purpose: '瑞执罚〔2026〕12号',
      token: { jti: null, expiresAt: expect.any(Date) },
    });
  });

  it('has no purpose when the token carries none', async () => {
    expect((await verifier.verify(bearer(await token().signedWith(key)))).purpose).toBeNull();
  });

  it.each(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const)('verifies when signed with %s', async (alg) => {
    const other = await aSigningKey(alg);
    const trusting = aVerifierTrusting(ISSUER, other);
    expect((await trusting.verify(bearer(await token().signedWith(other)))).subject).toBe('officer-17');
  });

  it('verifies with each key of an issuer when the token names no key id', async () => {
    const second = await aSigningKey('ES256', 'second');
    const trusting = aVerifierTrusting(ISSUER, key, second);
    const kidless = { ...second, kid: undefined };
    expect((await trusting.verify(bearer(await token().signedWith(kidless)))).subject).toBe('officer-17');
  });

  it('is accepted whatever the case of the Bearer scheme', async () => {
    expect((await verifier.verify(`bearer ${await token().signedWith(key)}`)).subject).toBe('officer-17');
  });

  it('is a system client when the subject is the client it was issued to and no kind claim says otherwise', async () => {
    const system = token()
      .without('client_kind')
      .with({ sub: 'credit-platform', azp: 'credit-platform', roles: ['SYSTEM'] });
    expect((await verifier.verify(bearer(await system.signedWith(key)))).kind).toBe('SYSTEM');
  });

  it('accepts roles written as one space-separated string', async () => {
    const principal = await verifier.verify(bearer(await token().with({ roles: 'OFFICER ANALYST' }).signedWith(key)));
    expect(principal.roles).toEqual(['OFFICER', 'ANALYST']);
  });

  it('is accepted a little after expiry, within the clock tolerance', async () => {
    const justExpired = token().expiredAt(new Date(Date.now() - 10_000));
    expect((await verifier.verify(bearer(await justExpired.signedWith(key)))).subject).toBe('officer-17');
  });
});

describe('a request without a usable bearer token', () => {
  it('is refused as missing_token when there is no Authorization header', async () => {
    await expectRefused(undefined, 'missing_token');
  });

  it('is refused as missing_token when the header uses another scheme, without echoing its credentials', async () => {
    const error = await expectRefused('Basic dXNlcjpzZWNyZXQ=', 'missing_token');
    expect(error.message).toContain('"Basic"');
    expect(error.message).not.toContain('dXNlcjpzZWNyZXQ=');
  });

  it('is refused as missing_token when Bearer is followed by nothing', async () => {
    await expectRefused('Bearer ', 'missing_token');
  });

  it('is refused as malformed_token when the token is garbage', async () => {
    await expectRefused('Bearer not-a-jwt', 'malformed_token');
    await expectRefused('Bearer a.b.c', 'malformed_token');
    await expectRefused('Bearer one two', 'malformed_token');
  });
});

describe('a token signed the wrong way', () => {
  it('is refused as algorithm_not_allowed when it has no signature (alg none)', async () => {
    const error = await expectRefused(bearer(token().unsigned()), 'algorithm_not_allowed');
    expect(error.message).toContain('"none"');
  });

  it('is refused as algorithm_not_allowed when signed with a shared secret (HS256), even naming a trusted key id', async () => {
    await expectRefused(bearer(await token().signedWith(aSharedSecret(key.kid))), 'algorithm_not_allowed');
  });

  it('is refused as algorithm_not_allowed when its asymmetric algorithm is not among those configured', async () => {
    const rsaOnly = createTokenVerifier(
      loadAuthConfig({
        AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]),
        AUTH_ALGORITHMS: 'RS256',
      }),
    );
    const error = await rsaOnly.verify(bearer(await token().signedWith(key))).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ reason: 'algorithm_not_allowed' });
  });

  it('is refused as bad_signature when signed by another key that claims the same key id', async () => {
    const impostor = { ...(await aSigningKey('ES256')), kid: key.kid };
    await expectRefused(bearer(await token().signedWith(impostor)), 'bad_signature');
  });

  it('is refused as bad_signature when its payload was altered after signing', async () => {
    const [header, body = '', signature] = (await token().signedWith(key)).split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
    const payload = Buffer.from(JSON.stringify({ ...claims, roles: ['ADMIN'] })).toString('base64url');
    await expectRefused(bearer(`${header}.${payload}.${signature}`), 'bad_signature');
  });

  // Headers that name a key of the token's own choosing (RFC 7515 §4.1.2–4.1.5): only the issuer's
  // configured keys verify, so an attacker's key carried or pointed at is never used.
  it.each([
    ['its own public key in jwk', (attacker: SigningKey) => ({ jwk: attacker.publicJwk })],
    ['a key set of its own in jku', () => ({ jku: 'https://attacker.example/jwks.json' })],
    ['a certificate of its own in x5u', () => ({ x5u: 'https://attacker.example/cert.pem' })],
  ])(
    'is refused as bad_signature when signed by another key and carrying %s, even under a trusted key id',
    async (_, header) => {
      const attacker = { ...(await aSigningKey('ES256')), kid: key.kid };
      await expectRefused(bearer(await token().withHeader(header(attacker)).signedWith(attacker)), 'bad_signature');
    },
  );

  it('is refused as bad_signature when no key of the issuer has its key id', async () => {
    await expectRefused(
      bearer(await token().signedWith({ ...(await aSigningKey('ES256')), kid: 'rotated-away' })),
      'bad_signature',
    );
  });
});

describe('a token outside its lifetime or meant for someone else', () => {
  it('is refused as expired, saying when it expired', async () => {
    const error = await expectRefused(
      bearer(await token().expiredAt(new Date('2026-11-22T03:00:00Z')).signedWith(key)),
      'expired',
    );
    expect(error.message).toBe('The token expired at 2026-11-22T03:00:00Z.');
  });

  it('is refused as not_yet_valid before its nbf, saying from when it is valid', async () => {
    const later = new Date(Math.ceil(Date.now() / 1000 + 3600) * 1000);
    const error = await expectRefused(bearer(await token().notBefore(later).signedWith(key)), 'not_yet_valid');
    expect(error.message).toContain(later.toISOString().replace('.000Z', 'Z'));
  });

  it('is refused as wrong_audience when meant for another service', async () => {
    await expectRefused(bearer(await token().with({ aud: 'some-other-api' }).signedWith(key)), 'wrong_audience');
  });

  it('is refused as unknown_issuer when its issuer is not configured, before any key is looked up', async () => {
    const error = await expectRefused(
      bearer(await TokenBuilder.for('https://evil.example').signedWith(key)),
      'unknown_issuer',
    );
    expect(error.message).toContain('https://evil.example');
  });
});

describe('a token whose claims do not describe a caller', () => {
  it.each([
    ['exp', 'exp'],
    ['sub', 'sub'],
    ['iss', 'iss'],
    ['authority', 'authority'],
    ['authority_kind', 'authority_kind'],
    ['jurisdiction', 'jurisdiction'],
    ['roles', 'roles'],
  ])('is refused as missing_claim when it has no %s', async (claim, named) => {
    const error = await expectRefused(bearer(await token().without(claim).signedWith(key)), 'missing_claim');
    expect(error.message).toContain(`"${named}"`);
  });

  it.each([
    ['an authority kind that does not exist', { authority_kind: 'POLICE' }, 'authority_kind'],
    ['a role that does not exist', { roles: ['OFFICER', 'SUPERUSER'] }, 'roles'],
    ['an empty role list', { roles: [] }, 'roles'],
    ['roles that are not a list', { roles: { OFFICER: true } }, 'roles'],
    ['a jurisdiction of 7 digits', { jurisdiction: '3303810' }, 'jurisdiction'],
    ['a jurisdiction with letters', { jurisdiction: '33038A' }, 'jurisdiction'],
    ['an empty authority code', { authority: '' }, 'authority'],
    ['a caller kind that is neither system nor person', { client_kind: 'robot' }, 'client_kind'],
    ['a purpose that is not a string', { purpose: 12 }, 'purpose'],
    // The caller's identifiers reach the access log, transfers and grants as written, and are read back by people.
    ['a subject holding a NUL', { sub: 'officer\u000017' }, 'sub'],
    ['a subject holding a right-to-left override', { sub: '\u202E71-reciffo' }, 'sub'],
    ['an authority code holding a line feed', { authority: '330381-ZHZFJ\n330381-XZSPJ' }, 'authority'],
    ['an authority code holding a zero-width space', { authority: '330381-ZHZF\u200BJ' }, 'authority'],
    ['an authority code holding a Hangul filler', { authority: '330381-ZHZF\u3164J' }, 'authority'],
    ['a subject holding a combining grapheme joiner', { sub: 'officer-\u034F17' }, 'sub'],
    ['an authority code holding a lone surrogate', { authority: '330381-\uD800' }, 'authority'],
    ['an authority code of 300 characters', { authority: 'A'.repeat(300) }, 'authority'],
    ['an authority code with blanks around it', { authority: ' 330381-ZHZFJ ' }, 'authority'],
  ])('is refused as invalid_claim when it has %s, naming the claim', async (_, claims, named) => {
    const error = await expectRefused(bearer(await token().with(claims).signedWith(key)), 'invalid_claim');
    expect(error.message).toContain(`"${named}"`);
  });

  it('accepts a 6-digit jurisdiction given as a number', async () => {
    const principal = await verifier.verify(bearer(await token().with({ jurisdiction: 330381 }).signedWith(key)));
    expect(principal.jurisdictionCode).toBe('330381');
  });
});

describe("a token's id (jti), by which it is revoked", () => {
  it('is kept with its expiry when the token carries one', async () => {
    const signed = await token().with({ jti: 'session-5f1c' }).signedWith(key);
    const principal = await verifier.verify(bearer(signed));
    expect(principal.token).toEqual({ jti: 'session-5f1c', expiresAt: new Date(decodeJwt(signed).exp! * 1000) });
  });

  it('may be absent: the token is accepted as before, with no id to revoke it by', async () => {
    expect((await verifier.verify(bearer(await token().signedWith(key)))).token?.jti).toBeNull();
  });

  it('is required when AUTH_REQUIRE_JTI=true: a token without one is refused missing_claim, one with it accepted', async () => {
    const requiring = createTokenVerifier(
      loadAuthConfig({
        AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]),
        AUTH_REQUIRE_JTI: 'true',
      }),
    );
    const refused = await requiring.verify(bearer(await token().signedWith(key))).catch((error: unknown) => error);
    expect(refused).toMatchObject({ reason: 'missing_claim', message: 'The token has no "jti" claim.' });
    const accepted = await requiring.verify(bearer(await token().with({ jti: 'sess-1' }).signedWith(key)));
    expect(accepted.token?.jti).toBe('sess-1');
  });

  it.each<[string, unknown]>([
    ['a number', 42],
    ['blank', '  '],
    ['longer than 256 characters', 'j'.repeat(257)],
    ['holding a control character', 'abc\u0000def'],
  ])('is refused invalid_claim when %s: a revocation could not name it', async (_what, jti) => {
    const error = await expectRefused(
      bearer(
        await token()
          .with({ jti } as JWTPayload)
          .signedWith(key),
      ),
      'invalid_claim',
    );
    expect(error.message).toContain('"jti"');
  });
});
