import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { IssuerUnavailableError } from '../../src/auth/issuer-unavailable-error.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from './token-builder.ts';

const ISSUER = 'https://ids.zj.gov.cn';
const MINUTE = 60_000;

/** An identity platform whose key set can be switched between up, down (503) and garbage (an HTML page). */
async function aFlakyJwksServer(keys: readonly JWK[]) {
  let mode: 'up' | 'down' | 'html' = 'up';
  const server: Server = createServer((_request, response) => {
    if (mode === 'down') response.writeHead(503).end();
    else if (mode === 'html') response.writeHead(200, { 'content-type': 'text/html' }).end('<html>维护中</html>');
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    set: (next: typeof mode) => {
      mode = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let known: SigningKey;
let unknown: SigningKey;
beforeAll(async () => {
  known = await aSigningKey('ES256', 'ec-known');
  unknown = await aSigningKey('ES256', 'ec-unknown');
});
afterEach(() => {
  vi.useRealTimers();
});

describe('an identity platform that goes down after its keys were fetched', () => {
  it.each(['down', 'html'] as const)(
    'still verifies tokens of keys it already knows once its cache has aged (platform %s)',
    async (mode) => {
      const jwks = await aFlakyJwksServer([known.publicJwk]);
      try {
        const verifier = createTokenVerifier(
          loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, jwksUrl: jwks.url }]) }),
        );
        await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(known)));
        jwks.set(mode);
        vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * MINUTE });

        const principal = await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(known)));
        expect(principal.issuer).toBe(ISSUER);
      } finally {
        await jwks.close();
      }
    },
  );

  it('answers a token of a key it does not know ISSUER_UNAVAILABLE, not bad_signature, while the platform is down', async () => {
    const jwks = await aFlakyJwksServer([known.publicJwk]);
    try {
      const verifier = createTokenVerifier(
        loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, jwksUrl: jwks.url }]) }),
      );
      await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(known)));
      jwks.set('down');
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 11 * MINUTE });

      const error = await verifier
        .verify(bearer(await TokenBuilder.for(ISSUER).signedWith(unknown)))
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(IssuerUnavailableError);
    } finally {
      await jwks.close();
    }
  });

  it('stops trusting the keys it last fetched a day after it last could fetch them', async () => {
    const jwks = await aFlakyJwksServer([known.publicJwk]);
    try {
      const verifier = createTokenVerifier(
        loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, jwksUrl: jwks.url }]) }),
      );
      await verifier.verify(bearer(await TokenBuilder.for(ISSUER).signedWith(known)));
      jwks.set('down');
      vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 25 * 60 * MINUTE });

      const error = await verifier
        .verify(bearer(await TokenBuilder.for(ISSUER).signedWith(known)))
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(IssuerUnavailableError);
    } finally {
      await jwks.close();
    }
  });
});
