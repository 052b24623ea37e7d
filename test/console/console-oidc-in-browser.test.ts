import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLAIM_NAMES } from '../../src/auth/claim-names.ts';
import { launchChromium } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { CONSOLE_CLIENT_ID, startTestOidcProvider, type TestOidcProvider } from '../support/oidc-provider.ts';

const README_SUBJECT = '91330381MA2G2YEE23';
// Renewal starts 60 s before expiry, so a 70 s token is renewed about 10 s after sign-in.
const ACCESS_TOKEN_TTL_SECONDS = 70;

let op: TestOidcProvider;
let gw: TestGateway;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];
const bearers: string[] = [];

beforeAll(async () => {
  op = await startTestOidcProvider(DEFAULT_CLAIM_NAMES);
  // A gateway outside demo mode: it trusts only the provider's keys, fetched from its JWKS.
  gw = await startTestGateway({
    authRequired: true,
    upstreamTimeoutMs: 10_000,
    env: {
      AUTH_ISSUERS: JSON.stringify([{ issuer: op.issuer, jwksUrl: op.jwksUrl }]),
      CONSOLE_OIDC_CLIENT_ID: CONSOLE_CLIENT_ID,
      TRUSTED_DOCUMENTS: 'console',
    },
  });
  op.start(gw.url, { accessTokenTtlSeconds: ACCESS_TOKEN_TTL_SECONDS });
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
  await op?.close();
});

function isRefresh(request: Request): boolean {
  return request.url() === `${op.issuer}/token` && (request.postData() ?? '').includes('grant_type=refresh_token');
}

describe('the console signed in through a real OpenID provider (authorization code with PKCE)', () => {
  it('tells the console the issuer and client, and lets the page reach the issuer under its CSP', async () => {
    const options = (await (await fetch(`${gw.url}/console/session-options`)).json()) as Record<string, unknown>;
    expect(options).toMatchObject({
      signIn: 'oidc',
      presets: [],
      oidc: { issuer: op.issuer, clientId: CONSOLE_CLIENT_ID, scope: 'openid' },
    });
    const csp = (await fetch(`${gw.url}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${op.issuer}`);
    // Demo tokens are refused once an identity platform is configured.
    const demo = await fetch(`${gw.url}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: 'county-enforcement' }),
    });
    expect(demo.status).toBe(404);
  });

  it("signs in at the provider's login and consent pages with PKCE, and sees the lifecycle", async () => {
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (request.url() === `${gw.url}/graphql` && authorization) bearers.push(authorization);
    });
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${op.issuer}/auth?`));
    await page.goto(`${gw.url}/`);
    await page.getByTestId('oidc-sign-in').getByRole('button').click();
    const query = new URL((await authorize).url()).searchParams;
    expect(query.get('code_challenge_method')).toBe('S256');
    expect(query.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(query.get('client_id')).toBe(CONSOLE_CLIENT_ID);

    await page.locator('input[name="login"]').fill('county-enforcement');
    await page.locator('input[name="password"]').fill('any password');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('瑞安市综合行政执法局');
    // The code and state are one-time: they leave the address once redeemed.
    expect(new URL(page.url()).search).toBe('');
    const search = page.getByTestId('enterprise-search');
    await search.fill(README_SUBJECT);
    await search.press('Enter');
    await expect(page.getByTestId('subject-name').textContent()).resolves.toBe('瑞安市隆瑞服饰有限公司');
    expect(bearers.length).toBeGreaterThan(0);
    // Nothing of the session is written where another tab or a later visitor could read it.
    const stored = await page.evaluate(() =>
      JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }),
    );
    expect(stored).not.toMatch(/eyJ/);
  });

  it('renews the access token with the refresh token before it expires, and the gateway accepts the new one', async () => {
    const refreshed = await page.waitForResponse((response) => isRefresh(response.request()), {
      timeout: ACCESS_TOKEN_TTL_SECONDS * 1000,
    });
    expect(refreshed.status()).toBe(200);
    const before = bearers.at(-1);
    await page.goto(`${gw.url}/#/gaps`);
    await page.getByTestId('gaps-table').waitFor({ timeout: 30_000 });
    const after = bearers.at(-1);
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    await expect(page.getByTestId('signed-in-as').textContent()).resolves.toContain('瑞安市综合行政执法局');
  }, 120_000);

  it('signs out at the provider too: the next sign-in asks for the password again', async () => {
    const signedOut = bearers.at(-1)!;
    await page.getByRole('button', { name: /退\s*出|Sign out/ }).click();
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByTestId('oidc-sign-in').waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    // The platform's token (it carries a jti) was revoked at the gateway before the logout.
    const refused = await gw.post('{ __typename }', {}, { authorization: signedOut });
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'token_revoked' });
    await page.getByTestId('oidc-sign-in').getByRole('button').click();
    await page.locator('input[name="login"]').waitFor();
    expect(pageErrors).toEqual([]);
  });
});
