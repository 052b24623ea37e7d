import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';

const SIGN_OUT = 'mutation SignOut { revokeOwnToken { outcome } }';
const WHO = '{ authorities { code } }';

/** Loads the IDE page as a browser would and reads the headers it pre-fills, and how it may be cached. */
async function loadIde(gw: TestGateway): Promise<{ headers: Record<string, string>; cacheControl: string | null }> {
  const response = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
  expect(response.status).toBe(200);
  const page = await response.text();
  const configJson = /<script type="application\/json" id="graphiql-config">([\s\S]*?)<\/script>/.exec(page)?.[1];
  const config = JSON.parse(configJson ?? '{}') as { defaultHeaders?: string };
  expect(config.defaultHeaders).toBeDefined();
  return {
    headers: JSON.parse(config.defaultHeaders ?? '{}') as Record<string, string>,
    cacheControl: response.headers.get('cache-control'),
  };
}

function claimsOf(headers: Record<string, string>) {
  return decodeJwt(headers['Authorization']!.replace(/^Bearer /, ''));
}

describe("the IDE's pre-filled demo token", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true });
  });
  afterAll(() => gw?.close());

  it('is signed afresh for each page load: after the last one is revoked (signing out), the next load brings one /graphql accepts', async () => {
    const first = await loadIde(gw);
    expectNoGraphQLErrors(await gw.post(WHO, {}, first.headers));
    expect(expectNoGraphQLErrors(await gw.post(SIGN_OUT, {}, first.headers))).toEqual({
      revokeOwnToken: { outcome: 'REVOKED' },
    });
    expect(expectGraphQLErrors(await gw.post(WHO, {}, first.headers))[0]?.extensions).toMatchObject({
      reason: 'token_revoked',
    });

    const second = await loadIde(gw);
    expect(claimsOf(second.headers).jti).not.toBe(claimsOf(first.headers).jti);
    expectNoGraphQLErrors(await gw.post(WHO, {}, second.headers));
  });

  it('is issued at the page load, so it lives its whole lifetime from then, however long the gateway has run', async () => {
    const before = Math.floor(Date.now() / 1000);
    const { headers } = await loadIde(gw);
    const { iat, exp } = claimsOf(headers);
    expect(iat).toBeGreaterThanOrEqual(before);
    expect(exp! - iat!).toBe(8 * 3600);
  });

  it('is on a page no cache may keep', async () => {
    expect((await loadIde(gw)).cacheControl).toBe('no-store');
  });
});

describe("the IDE's pre-filled demo token on a gateway with an audience of its own (AUTH_AUDIENCE)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      authRequired: true,
      env: { AUTH_AUDIENCE: 'urn:example:county-gateway', AUTH_CLAIM_ROLES: 'gateway_roles' },
    });
  });
  afterAll(() => gw?.close());

  it('names that audience and those claim names, as the console’s demo sign-in does, so /graphql accepts it', async () => {
    const { headers } = await loadIde(gw);
    expect(claimsOf(headers)).toMatchObject({ aud: 'urn:example:county-gateway', gateway_roles: expect.any(Array) });
    expectNoGraphQLErrors(await gw.post(WHO, {}, headers));
  });
});
