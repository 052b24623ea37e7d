import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { DEMO_ISSUER } from '../../src/auth/demo-issuer.ts';
import { createTokenVerifier, type TokenVerifier } from '../../src/auth/verify-token.ts';
import { createAuthenticator } from '../../src/http/authenticate.ts';
import { createRateLimiter } from '../../src/http/rate-limit.ts';
import { TokenBuilder, aSigningKey, bearer } from '../auth/token-builder.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';

/** A token with a critical extension and a signature of garbage, the shape that used to crash the request. */
function critToken(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'ES256', crit: ['x-ext'], 'x-ext': 1 })}.${part({ iss: DEMO_ISSUER, sub: 'x', exp: 4102444800 })}.AAAA`;
}

describe('authentication edges on the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true, env: { AUTH_FAILURE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => gw?.close());

  it('answers a token with an unknown crit header 401 unsupported_header, not 500', async () => {
    const response = await gw.post('{ __typename }', undefined, { authorization: bearer(critToken()) });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'unsupported_header' });
    expect(response.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('refuses an address over its failed-authentication limit with 429 and Retry-After, even with a good token', async () => {
    // The first test spent one failure of three.
    for (let i = 0; i < 2; i++) {
      expect((await gw.post('{ __typename }', undefined, { authorization: 'Bearer not-a-token' })).status).toBe(401);
    }
    const refused = await gw.post('{ __typename }', undefined, await gw.as('county-analyst'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body.errors?.[0]?.message).toContain('failed authentications');
    // Refused before its token was read: in the access log with no caller.
    const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
    expect(entry).toMatchObject({ callerSubject: '', outcome: 'ERROR', reason: 'too_many_failed_authentications' });
  });
});

describe('the failed-authentication limit', () => {
  let server: Server;
  let url: string;
  let verifications = 0;
  let limiter: ReturnType<typeof createRateLimiter>;
  let goodToken: string;

  beforeAll(async () => {
    const key = await aSigningKey('ES256');
    goodToken = await TokenBuilder.for(ISSUER).signedWith(key);
    const real = createTokenVerifier(
      loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]) }),
    );
    const counting: TokenVerifier = {
      verify(header) {
        verifications += 1;
        return real.verify(header);
      },
    };
    limiter = createRateLimiter(
      { perMinute: 1000, authFailuresPerMinute: 2 },
      (req) => String(req.ip),
      pino({ level: 'silent' }),
    );
    const authenticator = createAuthenticator(counting, { failures: limiter.failedAuthentications });
    const app = express();
    app.use(authenticator.middleware);
    app.get('/', (_req, res) => res.send('ok'));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await limiter.close();
    await new Promise((resolve) => server.close(resolve));
  });

  const status = async (authorization: string) => (await fetch(url, { headers: { authorization } })).status;

  it('does not count successful authentications', async () => {
    expect([await status(bearer(goodToken)), await status(bearer(goodToken)), await status(bearer(goodToken))]).toEqual(
      [200, 200, 200],
    );
  });

  it('once over the limit, refuses before the token is verified', async () => {
    expect([await status('Bearer a.b.c'), await status('Bearer a.b.c')]).toEqual([401, 401]);
    const verifiedBefore = verifications;
    expect([await status(bearer(goodToken)), await status('Bearer a.b.c')]).toEqual([429, 429]);
    expect(verifications).toBe(verifiedBefore);
  });
});

describe('a gateway whose identity platform cannot be reached', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`;
    await new Promise((resolve) => closed.close(resolve));
    gw = await startTestGateway({
      authRequired: true,
      env: { AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, jwksUrl }]) },
    });
  });
  afterAll(() => gw?.close());

  it('answers 503 ISSUER_UNAVAILABLE with Retry-After, as every answer of a dependency that is down', async () => {
    const token = await TokenBuilder.for(ISSUER).signedWith(await aSigningKey('ES256'));
    const response = await gw.post('{ __typename }', undefined, { authorization: bearer(token) });
    expect(response.status).toBe(503);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'ISSUER_UNAVAILABLE', issuer: ISSUER });
    // Nothing of the HTTP client's own words (an address, "fetch failed") reaches a caller without a verified token.
    expect(response.body.errors?.[0]?.message).toBe(
      `The keys of token issuer ${ISSUER} cannot be obtained; retry later.`,
    );
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(response.body.errors?.[0]?.extensions?.['retryAfterSeconds']).toBe(retryAfter);
  });
});
