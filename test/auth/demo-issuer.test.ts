import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { DEMO_ISSUER, demoIssuerKeys, signDemoToken } from '../../src/auth/demo-issuer.ts';
import type { Principal } from '../../src/auth/principal.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { TokenBuilder, aSigningKey, bearer } from './token-builder.ts';

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'demo-issuer-'));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function demoVerifier() {
  return createTokenVerifier(loadAuthConfig({ DATA_DIR: dataDir }));
}

const person = (fields: Omit<Principal, 'issuer' | 'kind' | 'purpose'>): Principal => ({
  ...fields,
  issuer: DEMO_ISSUER,
  kind: 'PERSON',
  purpose: null,
});

const PRESET_PRINCIPALS: readonly (readonly [string, Principal])[] = [
  [
    'permit-officer',
    person({
      subject: 'demo-permit-officer',
      authorityCode: '330381-XZSPJ',
      authorityKind: 'APPROVAL_BUREAU',
      jurisdictionCode: '330381',
      roles: ['OFFICER'],
    }),
  ],
  [
    'township-officer',
    person({
      subject: 'demo-township-officer',
      authorityCode: '330381001-ZFD',
      authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
      jurisdictionCode: '330381001',
      roles: ['OFFICER'],
    }),
  ],
  [
    'county-enforcement',
    person({
      subject: 'demo-county-enforcement',
      authorityCode: '330381-ZHZFJ',
      authorityKind: 'COUNTY_ENFORCEMENT_BUREAU',
      jurisdictionCode: '330381',
      roles: ['OFFICER'],
    }),
  ],
  [
    'county-analyst',
    person({
      subject: 'demo-county-analyst',
      authorityCode: '330381-SJFX',
      authorityKind: 'ANALYSIS_OFFICE',
      jurisdictionCode: '330381',
      roles: ['ANALYST'],
    }),
  ],
  [
    'credit-platform',
    {
      ...person({
        subject: 'credit-platform',
        authorityCode: '330381-XYZX',
        authorityKind: 'CREDIT_CENTRE',
        jurisdictionCode: '330381',
        roles: ['SYSTEM'],
      }),
      kind: 'SYSTEM',
    },
  ],
  [
    'auditor',
    person({
      subject: 'demo-auditor',
      authorityCode: '330381-SJFX',
      authorityKind: 'ANALYSIS_OFFICE',
      jurisdictionCode: '330381',
      roles: ['AUDITOR'],
    }),
  ],
  [
    'admin',
    person({
      subject: 'demo-admin',
      authorityCode: '330381-SJFX',
      authorityKind: 'ANALYSIS_OFFICE',
      jurisdictionCode: '330381',
      roles: ['ADMIN'],
    }),
  ],
];

describe('the demo issuer', () => {
  it.each(PRESET_PRINCIPALS)('signs a %s token that verifies to the expected principal', async (preset, expected) => {
    const token = await signDemoToken(preset, { dataDir });
    const { jti, exp } = decodeJwt(token);
    expect(await demoVerifier().verify(bearer(token))).toEqual({
      ...expected,
      token: { jti, expiresAt: new Date(exp! * 1000) },
    });
  });

  it('gives every token an id of its own, so signing out ends that token alone', async () => {
    const [first, second] = await Promise.all([
      signDemoToken('admin', { dataDir }),
      signDemoToken('admin', { dataDir }),
    ]);
    expect(decodeJwt(first).jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeJwt(first).jti).not.toBe(decodeJwt(second).jti);
  });

  it('carries the purpose it is given', async () => {
    const token = await signDemoToken('county-enforcement', { dataDir, purpose: '瑞综执立〔2026〕88号' });
    expect((await demoVerifier().verify(bearer(token))).purpose).toBe('瑞综执立〔2026〕88号');
  });

  it('signs tokens that expire when asked', async () => {
    const token = await signDemoToken('auditor', { dataDir, expiresIn: '-1h' });
    await expect(demoVerifier().verify(bearer(token))).rejects.toMatchObject({ reason: 'expired' });
  });

  it('signs tokens a gateway accepting shorter lifetimes than eight hours still accepts', async () => {
    const config = loadAuthConfig({ DATA_DIR: dataDir, AUTH_MAX_TOKEN_LIFETIME_SECONDS: '3600' });
    const token = await signDemoToken('county-analyst', {
      dataDir,
      maxLifetimeSeconds: config.maxTokenLifetimeSeconds,
    });
    const { iat = 0, exp = 0 } = decodeJwt(token);
    expect(exp - iat).toBe(3600);
    await expect(createTokenVerifier(config).verify(bearer(token))).resolves.toMatchObject({
      subject: 'demo-county-analyst',
    });
    const unlimited = decodeJwt(await signDemoToken('county-analyst', { dataDir }));
    expect((unlimited.exp ?? 0) - (unlimited.iat ?? 0)).toBe(8 * 3600);
  });

  it('refuses a preset it does not know', async () => {
    await expect(signDemoToken('root', { dataDir })).rejects.toThrow('No demo preset is called "root"');
  });

  it('keeps its key pair in the data folder and reuses it on later calls', async () => {
    const first = await demoIssuerKeys(dataDir);
    const second = await demoIssuerKeys(dataDir);
    expect(second).toEqual(first);
    const onDisk = JSON.parse(await readFile(join(dataDir, 'demo-issuer', 'public.jwk.json'), 'utf8')) as unknown;
    expect(onDisk).toEqual(first.publicJwk);
    expect(first.publicJwk).not.toHaveProperty('d');
  });

  it('verifies after a restart a token signed before it (same data folder, new verifier)', async () => {
    const token = await signDemoToken('permit-officer', { dataDir });
    await demoVerifier().verify(bearer(token));
    expect((await demoVerifier().verify(bearer(token))).authorityCode).toBe('330381-XZSPJ');
  });

  it('stores the private key readable by its owner only (mode 0600)', async () => {
    await demoIssuerKeys(dataDir);
    const { mode } = await stat(join(dataDir, 'demo-issuer', 'private.jwk.json'));
    expect(mode & 0o777).toBe(0o600);
  });

  it('ends with one key pair when several callers start at once', async () => {
    const pairs = await Promise.all(Array.from({ length: 8 }, () => demoIssuerKeys(dataDir)));
    expect(new Set(pairs.map((pair) => pair.publicJwk.kid)).size).toBe(1);
  });

  it('is not trusted once a real issuer is configured', async () => {
    const realIssuer = await aSigningKey('ES256');
    const config = loadAuthConfig({
      DATA_DIR: dataDir,
      AUTH_ISSUERS: JSON.stringify([{ issuer: 'https://ids.zj.gov.cn', keys: [realIssuer.publicJwk] }]),
    });
    const token = await signDemoToken('admin', { dataDir });
    await expect(createTokenVerifier(config).verify(bearer(token))).rejects.toMatchObject({ reason: 'unknown_issuer' });
  });

  it('does not vouch for a token signed by another key under its name and key id', async () => {
    const { publicJwk } = await demoIssuerKeys(dataDir);
    const forger = { ...(await aSigningKey('ES256')), kid: publicJwk.kid };
    const forged = await TokenBuilder.for(DEMO_ISSUER)
      .with({ roles: ['ADMIN'] })
      .signedWith(forger);
    await expect(demoVerifier().verify(bearer(forged))).rejects.toMatchObject({ reason: 'bad_signature' });
  });
});

describe('the demo issuer with DATA_DIR=memory://', () => {
  it('keeps its key in the process, writing no folder named memory:', async () => {
    const first = await demoIssuerKeys('memory://');
    expect((await demoIssuerKeys('memory://')).publicJwk).toEqual(first.publicJwk);
    expect(existsSync('memory:')).toBe(false);
  });
});
