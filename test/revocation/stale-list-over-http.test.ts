import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { refuseRevokedTokens } from '../../src/auth/refuse-revoked-tokens.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { createAuthenticator } from '../../src/http/authenticate.ts';
import { bodyErrorHandler } from '../../src/http/body-errors.ts';
import { RevocationList } from '../../src/modules/revocation/revocation-list.ts';
import { RevokedTokenStore } from '../../src/modules/revocation/revoked-token-store.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from '../auth/token-builder.ts';
import { storeVariants } from '../support/stores.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';
const variant = storeVariants()[0]!;

/**
 * The authenticator as the gateway wires it, over a revoked-token list whose store has gone: the
 * list's clock is moved by hand past the point where it is no longer trusted.
 */
let server: Server;
let url: string;
let key: SigningKey;
let at = Date.now();
beforeAll(async () => {
  key = await aSigningKey('ES256');
  const store = await variant.open();
  const list = new RevocationList({
    store: new RevokedTokenStore(store.prisma),
    refreshMs: 2000,
    graceMs: 0,
    logger: createLogger({ level: 'silent' }),
    now: () => at,
  });
  await list.reload();
  await store.close();
  const verifier = createTokenVerifier(
    loadAuthConfig({ AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]) }),
  );
  const app = express();
  app.use(createAuthenticator(refuseRevokedTokens(verifier, list)).middleware);
  app.get('/', (_req, res) => res.send('ok'));
  app.use(bodyErrorHandler());
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await variant.dispose();
});

const answerTo = async (token: TokenBuilder) =>
  fetch(url, { headers: { authorization: bearer(await token.signedWith(key)) } });

describe('a revoked-token list that could not be reloaded for too long', () => {
  it('still lets revocable tokens through within 10 s of its last load', async () => {
    at += 10_000;
    expect((await answerTo(TokenBuilder.for(ISSUER).with({ jti: 'a-1' }))).status).toBe(200);
  });

  it('then has a revocable token answered 503 STORE_UNAVAILABLE with Retry-After, not let through', async () => {
    at += 1;
    const answer = await answerTo(TokenBuilder.for(ISSUER).with({ jti: 'a-1' }));
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('2');
    expect(((await answer.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe(
      'STORE_UNAVAILABLE',
    );
  });

  it('lets a token without jti through: no revocation could name it', async () => {
    expect((await answerTo(TokenBuilder.for(ISSUER))).status).toBe(200);
  });
});
