import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLocalRequest, launchChromium } from '../support/chromium.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
let browser: Browser | undefined;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await browser?.close();
  await gw?.close();
});

describe('a newcomer opening the gateway in a browser', () => {
  it('gets the IDE with the example query, runs it, and sees one enterprise across four systems', async () => {
    browser = await launchChromium();
    const page = await browser.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));

    await page.goto(`${gw.url}/graphql`, { waitUntil: 'load' });
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ state: 'visible', timeout: 15_000 });
    const answered = page.waitForResponse(
      (response) =>
        response.url().endsWith('/graphql') &&
        response.request().method() === 'POST' &&
        (response.request().postData() ?? '').includes('Lifecycle'),
    );
    await page.locator('.graphiql-execute-button').click();
    const answer = await (await answered).text();
    // The result pane only renders the lines in view; the rest of the answer is read off the wire.
    await page.locator('.graphiql-response').getByText('瑞安市隆瑞服饰有限公司').first().waitFor({ timeout: 20_000 });
    for (const fromEachSystem of ['排污许可', 'VIOLATION_FOUND', 'PERMIT_REVOCATION', 'CREDIT_PUBLISHED']) {
      expect(answer).toContain(fromEachSystem);
    }
    expect(answer).not.toContain('"errors"');
    expect(requested.filter((url) => !isLocalRequest(url))).toEqual([]);
  });
});
