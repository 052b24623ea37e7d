import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const SUBJECT = '91330381MA2G2YEE23';

let gw: TestGateway;
let browser: Browser | undefined;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true, upstreamTimeoutMs: 10_000 });
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

/**
 * Where the console keeps its bearer token: in memory only. Any script that ran in the page
 * (an XSS) could read web storage, and an address with a token would leak through history and
 * the Referer header.
 */
describe('the console session in a real browser', () => {
  it('keeps the token out of storage, cookies, the address and the Referer, and a sign-out or reload forgets it', async () => {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    const graphqlRequests: Request[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') graphqlRequests.push(request);
    });

    await page.goto(`${gw.url}/`);
    const card = page.getByTestId('preset-county-analyst');
    await card.waitFor({ timeout: 30_000 });
    const [minted] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/console/demo-token')),
      card.getByRole('button').click(),
    ]);
    const { token } = (await minted.json()) as { token: string };
    expect(token.split('.')).toHaveLength(3);
    await page.getByTestId('signed-in-as').waitFor();

    await page.goto(`${gw.url}/#/enterprise/${SUBJECT}`);
    await page.getByTestId('subject-name').waitFor({ timeout: 30_000 });
    expect(graphqlRequests.length).toBeGreaterThan(0);
    const sent = await graphqlRequests.at(-1)!.allHeaders();
    expect(sent['authorization']).toBe(`Bearer ${token}`);
    // Referrer-Policy no-referrer: not even this console's own address goes with a request.
    expect(sent['referer']).toBeUndefined();

    const stored = await page.evaluate(() => {
      const all = (storage: Storage) =>
        Array.from({ length: storage.length }, (_, i) => `${storage.key(i)}=${storage.getItem(storage.key(i)!)}`);
      return [...all(window.localStorage), ...all(window.sessionStorage), document.cookie].join('\n');
    });
    expect(stored).not.toContain(token);
    expect(await context.cookies()).toEqual([]);
    expect(page.url()).not.toContain(token);

    // A reload starts signed out: nothing kept the token across it.
    await page.reload();
    await page.getByTestId('preset-county-analyst').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);

    // Signed in again, then out: the sign-in page, and going back in history does not sign in.
    const [mintedAgain] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/console/demo-token')),
      page.getByTestId('preset-county-analyst').getByRole('button').click(),
    ]);
    const { token: signedOutToken } = (await mintedAgain.json()) as { token: string };
    await page.getByTestId('signed-in-as').waitFor();
    await page.goto(`${gw.url}/#/gaps`);
    await page.getByRole('button', { name: /退\s*出|Sign out/ }).click();
    await page.getByText('选择演示身份').waitFor();
    // Signing out ended the token at the gateway too: a copy of it is refused.
    const afterSignOut = await gw.post('{ __typename }', {}, { authorization: `Bearer ${signedOutToken}` });
    expect(afterSignOut.status).toBe(401);
    expect(afterSignOut.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'token_revoked' });
    expect(await page.getByTestId('sign-out-notice').count()).toBe(0);
    await page.goBack();
    await page.goto(`${gw.url}/#/enterprise/${SUBJECT}`);
    await page.getByTestId('preset-county-analyst').waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await context.close();
  });

  it('signs out of the page even when the gateway cannot be asked to revoke the token, and says the token still works', async () => {
    browser ??= await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    await page.goto(`${gw.url}/`);
    const card = page.getByTestId('preset-county-analyst');
    await card.waitFor({ timeout: 30_000 });
    const [minted] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/console/demo-token')),
      card.getByRole('button').click(),
    ]);
    const { token } = (await minted.json()) as { token: string };
    await page.getByTestId('signed-in-as').waitFor();
    // The network fails the sign-out's request, as a dropped connection would.
    await page.route('**/graphql', (route) =>
      route.request().postData()?.includes('revokeOwnToken') ? route.abort('connectionfailed') : route.continue(),
    );

    await page.getByRole('button', { name: /退\s*出|Sign out/ }).click();
    await page.getByText('选择演示身份').waitFor();
    expect(await page.getByTestId('signed-in-as').count()).toBe(0);
    await expect.poll(() => page.getByTestId('sign-out-notice').textContent()).toContain('未能注销');
    // As the notice says: the gateway still accepts it.
    expect((await gw.post('{ __typename }', {}, { authorization: `Bearer ${token}` })).status).toBe(200);
    await context.close();
  });
});
