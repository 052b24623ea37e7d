import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { IssuerUnavailableError } from '../../src/auth/issuer-unavailable-error.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { startJwksServer, type JwksServer } from './jwks-server.ts';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from './token-builder.ts';

const ISSUER = 'https://ids.zj.gov.cn';

function verifierFor(jwksUrl: string) {
  return createTokenVerifier(loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, jwksUrl }]) }));
}

let rsaKey: SigningKey;
let ecKey: SigningKey;
let jwks: JwksServer;

beforeAll(async () => {
  rsaKey = await aSigningKey('RS256', 'rsa-2026');
  ecKey = await aSigningKey('ES256', 'ec-2026');
  jwks = await startJwksServer([rsaKey.publicJwk, ecKey.publicJwk]);
});

afterAll(async () => {
  await jwks.close();
});

describe('an issuer whose keys are published at a JWKS URL', () => {
  it('verifies its tokens with keys fetched once and then cached', async () => {
    const verifier = verifierFor(jwks.url);
    const before = jwks.requests();
    for (const key of [rsaKey, ecKey, rsaKey, ecKey, rsaKey]) {
      const principal = await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(key)));
      expect(principal.issuer).toBe(ISSUER);
    }
    expect(jwks.requests() - before).toBe(1);
  });

  it('fetches the set again for a key it has not seen once the cooldown has passed (key rotation)', async () => {
    const verifier = verifierFor(jwks.url);
    await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(ecKey)));
    const rotated = await aSigningKey('PS256', 'rsa-2027');
    jwks.publish([rsaKey.publicJwk, ecKey.publicJwk, rotated.publicJwk]);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 }); // past jose's 30 s refetch cooldown
    try {
      const before = jwks.requests();
      expect((await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(rotated)))).subject).toBe(
        'officer-17',
      );
      expect(jwks.requests() - before).toBe(1);
    } finally {
      vi.useRealTimers();
      jwks.publish([rsaKey.publicJwk, ecKey.publicJwk]);
    }
  });

  it('refuses as bad_signature a token signed by a key that is not in the set', async () => {
    const verifier = verifierFor(jwks.url);
    const stranger = await aSigningKey('ES256', 'ec-2026');
    await expect(verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(stranger)))).rejects.toMatchObject({
      reason: 'bad_signature',
    });
  });

  it('reports the issuer unavailable, not the token bad, when its key set cannot be fetched', async () => {
    const gone = await startJwksServer([]);
    const url = gone.url;
    await gone.close();
    const error = await verifierFor(url)
      .verify(bearer(await TokenBuilder.for(ISSUER).signedWith(ecKey)))
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
    expect(error).toMatchObject({ extensions: { code: 'ISSUER_UNAVAILABLE', issuer: ISSUER } });
    // Why, for the server's log; the message a caller reads does not carry it.
    const { detail, message } = error as IssuerUnavailableError;
    expect(detail.length).toBeGreaterThan(0);
    expect(message).not.toContain(detail);
  });

  it('reports the issuer unavailable when it answers with an error status', async () => {
    const error = await verifierFor(jwks.url.replace('/jwks.json', '/missing.json'))
      .verify(bearer(await TokenBuilder.for(ISSUER).signedWith(ecKey)))
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
  });
});
