import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadAuthConfig, trustsDemoIssuer } from '../../src/auth/auth-config.ts';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-names.ts';
import { DEMO_ISSUER } from '../../src/auth/demo-issuer.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { TokenBuilder, aSigningKey, bearer } from './token-builder.ts';

const ISSUER = 'https://ids.zj.gov.cn';

const issuers = (entries: readonly unknown[]): string => JSON.stringify(entries);

describe('the authentication configuration', () => {
  it('trusts only the demo issuer, with its keys in DATA_DIR, when no issuer is configured', () => {
    const config = loadAuthConfig({ DATA_DIR: '/srv/gateway' });
    expect(config.issuers).toEqual([{ issuer: DEMO_ISSUER, keys: { kind: 'demo', dataDir: '/srv/gateway' } }]);
    expect(trustsDemoIssuer(config)).toBe(true);
    expect(loadAuthConfig({ AUTH_ISSUERS: '  ' }).issuers[0]?.issuer).toBe(DEMO_ISSUER);
  });

  it('has defaults for audience, algorithms, clock tolerance, token lifetime, revocation refresh and claim names', () => {
    expect(loadAuthConfig({})).toMatchObject({
      audience: 'shenguanzhixin-gateway',
      algorithms: ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'],
      clockToleranceSeconds: 30,
      maxTokenLifetimeSeconds: 24 * 3600,
      revocationRefreshMs: 2000,
      requireJti: false,
      claims: DEFAULT_CLAIM_NAMES,
    });
  });

  it('reads issuers with a JWKS URL and issuers with inline keys, and then no longer trusts the demo issuer', async () => {
    const key = await aSigningKey('ES256');
    const config = loadAuthConfig({
      AUTH_ISSUERS: issuers([
        { issuer: ISSUER, jwksUrl: 'https://ids.zj.gov.cn/oauth2/jwks' },
        { issuer: 'https://ids.wz.gov.cn', keys: [key.publicJwk] },
      ]),
    });
    expect(config.issuers).toEqual([
      { issuer: ISSUER, keys: { kind: 'jwks', url: 'https://ids.zj.gov.cn/oauth2/jwks' } },
      { issuer: 'https://ids.wz.gov.cn', keys: { kind: 'keys', keys: [key.publicJwk] } },
    ]);
    expect(trustsDemoIssuer(config)).toBe(false);
  });

  it('accepts a PEM public key, with a key id when the tokens carry one', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const config = loadAuthConfig({ AUTH_ISSUERS: issuers([{ issuer: ISSUER, keys: [{ pem, kid: 'pem-1' }] }]) });
    const token = await TokenBuilder.for(ISSUER).signedWith({
      alg: 'ES256',
      kid: 'pem-1',
      privateKey: await toCryptoKey(privateKey),
      publicJwk: {},
    });
    expect((await createTokenVerifier(config).verify(bearer(token))).issuer).toBe(ISSUER);
  });

  it.each([
    ['HS256 among the algorithms', { AUTH_ALGORITHMS: 'ES256,HS256' }, 'AUTH_ALGORITHMS'],
    ['none as the algorithm', { AUTH_ALGORITHMS: 'none' }, 'AUTH_ALGORITHMS'],
    ['issuers that are not JSON', { AUTH_ISSUERS: '[{issuer:' }, 'AUTH_ISSUERS'],
    ['an issuer with neither keys nor a JWKS URL', { AUTH_ISSUERS: issuers([{ issuer: ISSUER }]) }, 'AUTH_ISSUERS'],
    [
      'a JWKS URL over plain http',
      { AUTH_ISSUERS: issuers([{ issuer: ISSUER, jwksUrl: 'http://ids.zj.gov.cn/jwks' }]) },
      'AUTH_ISSUERS',
    ],
    [
      'the same issuer twice',
      {
        AUTH_ISSUERS: issuers([
          { issuer: ISSUER, jwksUrl: 'https://a/j' },
          { issuer: ISSUER, jwksUrl: 'https://b/j' },
        ]),
      },
      'AUTH_ISSUERS',
    ],
    ['a symmetric key', { AUTH_ISSUERS: issuers([{ issuer: ISSUER, keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }]) }, 'kty'],
    ['a private JWK', { AUTH_ISSUERS: issuers([{ issuer: ISSUER, keys: [privateJwk()] }]) }, 'private key'],
    ['a private PEM', { AUTH_ISSUERS: issuers([{ issuer: ISSUER, keys: [privatePem()] }]) }, 'private key'],
    [
      'a PEM that is not a key',
      {
        AUTH_ISSUERS: issuers([
          { issuer: ISSUER, keys: ['-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----'] },
        ]),
      },
      'not a usable public key',
    ],
    ['a negative clock tolerance', { AUTH_CLOCK_TOLERANCE_SECONDS: '-5' }, 'AUTH_CLOCK_TOLERANCE_SECONDS'],
    ['a token lifetime of no time at all', { AUTH_MAX_TOKEN_LIFETIME_SECONDS: '0' }, 'AUTH_MAX_TOKEN_LIFETIME_SECONDS'],
    ['a token lifetime of a year', { AUTH_MAX_TOKEN_LIFETIME_SECONDS: '31536000' }, 'AUTH_MAX_TOKEN_LIFETIME_SECONDS'],
    ['a revocation refresh of 0 ms', { AUTH_REVOCATION_REFRESH_MS: '0' }, 'AUTH_REVOCATION_REFRESH_MS'],
    ['a revocation refresh of two minutes', { AUTH_REVOCATION_REFRESH_MS: '120000' }, 'AUTH_REVOCATION_REFRESH_MS'],
    ['jti required as "yes"', { AUTH_REQUIRE_JTI: 'yes' }, 'AUTH_REQUIRE_JTI'],
    ['an empty claim name', { AUTH_CLAIM_ROLES: ' ' }, 'AUTH_CLAIM_ROLES'],
  ])('is refused with %s, naming the problem', (_, env, named) => {
    expect(() => loadAuthConfig(env)).toThrow(named);
  });

  it('names every bad variable at once', () => {
    expect(() => loadAuthConfig({ AUTH_ALGORITHMS: 'HS512', AUTH_CLOCK_TOLERANCE_SECONDS: 'soon' })).toThrow(
      /AUTH_ALGORITHMS[\s\S]*AUTH_CLOCK_TOLERANCE_SECONDS|AUTH_CLOCK_TOLERANCE_SECONDS[\s\S]*AUTH_ALGORITHMS/,
    );
  });
});

describe('configurable claim names', () => {
  it('read the caller from the claims an identity provider actually uses', async () => {
    const key = await aSigningKey('RS256');
    const config = loadAuthConfig({
      AUTH_ISSUERS: issuers([{ issuer: ISSUER, keys: [key.publicJwk] }]),
      AUTH_CLAIM_AUTHORITY: 'org_code',
      AUTH_CLAIM_AUTHORITY_KIND: 'org_type',
      AUTH_CLAIM_JURISDICTION: 'division',
      AUTH_CLAIM_ROLES: 'realm_access.roles',
      AUTH_CLAIM_CLIENT_KIND: 'principal_type',
      AUTH_CLAIM_PURPOSE: 'matter_no',
    });
    const token = await TokenBuilder.for(ISSUER)
      .without('authority', 'authority_kind', 'jurisdiction', 'roles', 'client_kind')
      .with({
        org_code: '330381-XZSPJ',
        org_type: 'APPROVAL_BUREAU',
        division: '330381',
        realm_access: { roles: ['OFFICER'] },
        principal_type: 'person',
        matter_no: '330381-2026-000123',
      })
      .signedWith(key);
    expect(await createTokenVerifier(config).verify(bearer(token))).toMatchObject({
      authorityCode: '330381-XZSPJ',
      authorityKind: 'APPROVAL_BUREAU',
      jurisdictionCode: '330381',
      roles: ['OFFICER'],
      kind: 'PERSON',
      purpose: '330381-2026-000123',
    });
  });

  it('refuse a token that uses the default names once others are configured, naming the expected claim', async () => {
    const key = await aSigningKey('ES256');
    const config = loadAuthConfig({
      AUTH_ISSUERS: issuers([{ issuer: ISSUER, keys: [key.publicJwk] }]),
      AUTH_CLAIM_AUTHORITY: 'org_code',
    });
    await expect(
      createTokenVerifier(config).verify(bearer(await TokenBuilder.for(ISSUER).signedWith(key))),
    ).rejects.toMatchObject({
      reason: 'missing_claim',
      message: 'The token has no "org_code" claim.',
    });
  });
});

function privateJwk(): Record<string, unknown> {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) as Record<
    string,
    unknown
  >;
}

function privatePem(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
}

async function toCryptoKey(key: KeyObject) {
  const { importPKCS8 } = await import('jose');
  return importPKCS8(key.export({ type: 'pkcs8', format: 'pem' }).toString(), 'ES256');
}
