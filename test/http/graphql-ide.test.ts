import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { isLocalRequest, launchChromium as launchBrowser } from '../support/chromium.ts';
import { startIdeTestApp } from './ide-test-app.ts';
import type { RunningIdeApp } from './ide-test-app.ts';

const screenshotPath = process.env.IDE_SCREENSHOT ?? join(tmpdir(), 'graphql-ide.png');
const exampleQuery = '# 示例查询\n{\n  hello\n}\n';
const browserAccept = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let app: RunningIdeApp;

beforeAll(async () => {
  app = await startIdeTestApp({
    exampleQuery,
    title: '审管执信 GraphQL',
    defaultHeaders: { 'x-demo-caller': 'ide-user' },
  });
});

afterAll(async () => {
  await app?.close();
});

describe('the GraphQL IDE route over HTTP', () => {
  it('serves an HTML page with no external URL to a browser asking for /graphql', async () => {
    const res = await fetch(`${app.baseUrl}/graphql`, { headers: { accept: browserAccept } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('vary')).toMatch(/Accept/i);
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    // The same page headers as the console's (src/http/page-security-headers.ts).
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/(src|href)="\/\//);
    expect(html).toContain('审管执信 GraphQL');
  });

  it('passes a GET that carries a query to Apollo even when the client accepts HTML', async () => {
    const res = await fetch(`${app.baseUrl}/graphql?query=${encodeURIComponent('{ hello }')}`, {
      headers: { accept: browserAccept, 'apollo-require-preflight': 'true' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { hello: '你好, anonymous' } });
  });

  it('passes a GET with a wildcard Accept header to Apollo instead of the page', async () => {
    const res = await fetch(`${app.baseUrl}/graphql`, { headers: { accept: '*/*' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/^text\/html/);
  });

  it('serves the stylesheet and scripts with long-lived cache headers', async () => {
    const html = await (await fetch(`${app.baseUrl}/graphql`, { headers: { accept: browserAccept } })).text();
    const assetPaths = [...html.matchAll(/(?:src|href)="(\/ide\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assetPaths).toHaveLength(5);
    for (const path of assetPaths) {
      const res = await fetch(`${app.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toMatch(/max-age=31536000.*immutable/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      await res.arrayBuffer();
    }
  });

  it('answers 404 for an asset name it does not serve, so node_modules is not browsable', async () => {
    const res = await fetch(`${app.baseUrl}/ide/assets/react-18.3.1/package.json`);
    expect(res.status).toBe(404);
  });
});

describe('the GraphQL IDE in a real browser', () => {
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
  });

  async function launchChromium(): Promise<Browser> {
    browser = await launchBrowser();
    return browser;
  }

  it('loads only from this server, shows the example query and runs it with the pre-filled headers', async () => {
    const context = await (await launchChromium()).newContext();
    const page = await context.newPage();
    const requestedUrls: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));

    await page.goto(`${app.baseUrl}/graphql`, { waitUntil: 'load' });

    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.waitFor({ state: 'visible', timeout: 15_000 });
    // Browser-side code is passed as strings: this project's tsconfig has no DOM types.
    const editorText = await page.evaluate<string>(
      "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()",
    );
    expect(editorText).toBe(exampleQuery);

    await page.locator('.graphiql-execute-button').click();
    await page.waitForFunction(
      "document.querySelector('.graphiql-response')?.textContent?.includes('你好, ide-user') ?? false",
      undefined,
      { timeout: 15_000 },
    );
    await page.screenshot({ path: screenshotPath });

    const external = requestedUrls.filter((url) => !isLocalRequest(url));
    expect(external).toEqual([]);
    expect(requestedUrls.some((url) => url.includes('/ide/assets/graphiql-'))).toBe(true);
    expect(consoleErrors).toEqual([]);
    // The headers (in a real gateway a bearer token) are not written to web storage, which any
    // script of this origin could read: GraphiQL persists only queries and variables here.
    const stored = await page.evaluate<string>(
      'JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])',
    );
    expect(stored).toContain('graphiql:queries');
    expect(stored).toContain('hello');
    expect(stored).not.toContain('x-demo-caller');

    // A history written by an earlier page (headers and all) loses its headers on the next load.
    await page.evaluate(
      `localStorage.setItem('graphiql:queries', JSON.stringify({ queries: [{ query: '{ planted }', variables: '', headers: '{"authorization": "Bearer planted-token"}' }] }))`,
    );
    await page.reload({ waitUntil: 'load' });
    await queryEditor.waitFor({ state: 'visible', timeout: 15_000 });
    const history = await page.evaluate<string>("localStorage.getItem('graphiql:queries')");
    expect(history).toContain('{ planted }');
    expect(history).not.toContain('planted-token');
    await context.close();
  });
});
