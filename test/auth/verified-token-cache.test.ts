import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { AuthenticationError } from '../../src/auth/authentication-error.ts';
import { cacheVerifiedTokens, VERIFIED_TOKEN_TTL_MS } from '../../src/auth/verified-token-cache.ts';
import { createTokenVerifier, type TokenVerifier } from '../../src/auth/verify-token.ts';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from './token-builder.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';

let key: SigningKey;
let otherKey: SigningKey;
let verifications: number;
let clock: number;
let cached: TokenVerifier;

beforeAll(async () => {
  key = await aSigningKey('ES256');
  otherKey = await aSigningKey('ES256');
});

beforeEach(() => {
  const real = createTokenVerifier(
    loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]) }),
  );
  verifications = 0;
  clock = Date.now();
  cached = cacheVerifiedTokens(
    {
      verify(header) {
        verifications += 1;
        return real.verify(header);
      },
    },
    { now: () => clock },
  );
});

describe('the verified-token cache', () => {
  it('checks a token once and answers the same caller for it again', async () => {
    const header = bearer(await TokenBuilder.for(ISSUER).signedWith(key));
    const first = await cached.verify(header);
    const again = await cached.verify(header);
    expect(again).toEqual(first);
    expect(first).toMatchObject({ subject: 'officer-17', authorityCode: '330381001-ZFD' });
    expect(verifications).toBe(1);
  });

  it('checks a refused token afresh every time', async () => {
    const header = bearer(await TokenBuilder.for(ISSUER).signedWith(otherKey));
    for (let i = 0; i < 2; i += 1) await expect(cached.verify(header)).rejects.toBeInstanceOf(AuthenticationError);
    expect(verifications).toBe(2);
  });

  it('checks a token living longer than the maximum lifetime afresh every time, never remembering it', async () => {
    const header = bearer(await TokenBuilder.for(ISSUER).with({ exp: 1e20 }).signedWith(key));
    for (let i = 0; i < 2; i += 1)
      await expect(cached.verify(header)).rejects.toMatchObject({ reason: 'lifetime_too_long' });
    expect(verifications).toBe(2);
  });

  it('tells different tokens apart', async () => {
    const officer = bearer(await TokenBuilder.for(ISSUER).signedWith(key));
    const auditor = bearer(
      await TokenBuilder.for(ISSUER)
        .with({ sub: 'auditor-1', roles: ['AUDITOR'] })
        .signedWith(key),
    );
    expect((await cached.verify(officer)).subject).toBe('officer-17');
    expect((await cached.verify(auditor)).roles).toEqual(['AUDITOR']);
    expect(verifications).toBe(2);
  });

  it('checks a token again once the cache lifetime has passed', async () => {
    const header = bearer(await TokenBuilder.for(ISSUER).signedWith(key));
    await cached.verify(header);
    clock += VERIFIED_TOKEN_TTL_MS - 1;
    await cached.verify(header);
    expect(verifications).toBe(1);
    clock += 1;
    await cached.verify(header);
    expect(verifications).toBe(2);
  });

  it('never trusts a remembered token past its own expiry', async () => {
    const exp = Math.floor(clock / 1000) + 5;
    const header = bearer(await TokenBuilder.for(ISSUER).with({ exp }).signedWith(key));
    await cached.verify(header);
    clock = exp * 1000;
    await cached.verify(header).catch(() => undefined);
    expect(verifications).toBe(2);
  });

  it('checks a token again when the clock has been set back since it was remembered', async () => {
    const header = bearer(await TokenBuilder.for(ISSUER).signedWith(key));
    await cached.verify(header);
    // An hour back (a wrong NTP step corrected): the 30 s of trust would otherwise last an hour more.
    clock -= 3_600_000;
    await cached.verify(header);
    expect(verifications).toBe(2);
  });
});
