import { afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { IssuerUnavailableError } from '../../src/auth/issuer-unavailable-error.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { startJwksServer } from './jwks-server.ts';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from './token-builder.ts';

const ISSUER = 'https://ids.zj.gov.cn';
const MINUTE = 60_000;

let known: SigningKey;
let unknown: SigningKey;
beforeAll(async () => {
  known = await aSigningKey('ES256', 'ec-known');
  unknown = await aSigningKey('ES256', 'ec-unknown');
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A verifier that has fetched the platform's keys (it verified a token of `known`), after which
 * the platform went `mode` and the clock moved `laterMs` on. The platform stops when the test ends.
 */
async function aVerifierWhosePlatformWent(mode: 'down' | 'html', laterMs: number) {
  const jwks = await startJwksServer([known.publicJwk]);
  onTestFinished(() => jwks.close());
  const verifier = createTokenVerifier(
    loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, jwksUrl: jwks.url }]) }),
  );
  await verifier.verify(await aTokenOf(known));
  jwks.answer(mode);
  vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + laterMs });
  return verifier;
}

async function aTokenOf(key: SigningKey): Promise<string> {
  return bearer(await TokenBuilder.for(ISSUER).signedWith(key));
}

describe('an identity platform that goes down after its keys were fetched', () => {
  it.each(['down', 'html'] as const)(
    'still verifies tokens of keys it already knows once its cache has aged (platform %s)',
    async (mode) => {
      const verifier = await aVerifierWhosePlatformWent(mode, 11 * MINUTE);

      const principal = await verifier.verify(await aTokenOf(known));
      expect(principal.issuer).toBe(ISSUER);
    },
  );

  it('answers a token of a key it does not know ISSUER_UNAVAILABLE, not bad_signature, while the platform is down', async () => {
    const verifier = await aVerifierWhosePlatformWent('down', 11 * MINUTE);

    const error = await verifier.verify(await aTokenOf(unknown)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
  });

  it('stops trusting the keys it last fetched a day after it last could fetch them', async () => {
    const verifier = await aVerifierWhosePlatformWent('down', 25 * 60 * MINUTE);

    const error = await verifier.verify(await aTokenOf(known)).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(IssuerUnavailableError);
  });
});
