import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

/** A built file of the console, served by express.static under /assets. */
const consoleAsset = readdirSync(join(import.meta.dirname, '../../web/dist/assets')).find((name) =>
  name.endsWith('.js'),
);

describe('ETags', () => {
  it('are not computed for GraphQL answers to POST, which no client can revalidate', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ checkUscc(code: "91330381MA2G2YEE23") { valid } }' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { checkUscc: { valid: true } } });
    expect(response.headers.get('etag')).toBeNull();
  });

  it('are not computed for GraphQL answers to GET either, which pass by the console and IDE app', async () => {
    const query = encodeURIComponent('{ checkUscc(code: "91330381MA2G2YEE23") { valid } }');
    const response = await fetch(`${gw.url}/graphql?query=${query}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { checkUscc: { valid: true } } });
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it("still revalidate the console's page (no-cache) with 304", async () => {
    const first = await fetch(`${gw.url}/`, { headers: { accept: 'text/html' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // Cache-Control stated as a browser revalidating sends it: fetch would otherwise add no-cache, which forbids a 304.
    const again = await fetch(`${gw.url}/`, {
      headers: { accept: 'text/html', 'if-none-match': etag!, 'cache-control': 'max-age=0' },
    });
    expect(again.status).toBe(304);
  });

  it("are kept on the console's built files", async () => {
    expect(consoleAsset).toBeDefined();
    const response = await fetch(`${gw.url}/assets/${consoleAsset}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('etag')).toBeTruthy();
  });
});
