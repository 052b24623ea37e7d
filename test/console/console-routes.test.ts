import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST_DIR, consoleContentSecurityPolicy } from '../../src/http/console-routes.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

type Gateway = TestGateway;
let gw: Gateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(async () => {
  await gw?.close();
});

/** A file of the built console (the page's scripts and styles), with its size in bytes. */
async function consoleAsset(): Promise<{ name: string; size: number }> {
  const folder = join(CONSOLE_DIST_DIR, 'assets');
  const name = readdirSync(folder).find((file) => file.endsWith('.js'));
  if (name === undefined) throw new Error(`no console build under ${folder}: run npm run build:web`);
  return { name, size: statSync(join(folder, name)).size };
}

describe('the console routes of a demo gateway', () => {
  it('serve the console page at / under a CSP that allows scripts from this origin only', async () => {
    const response = await fetch(`${gw.url}/`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(consoleContentSecurityPolicy);
    expect(consoleContentSecurityPolicy).toContain("script-src 'self'");
    expect(consoleContentSecurityPolicy).not.toMatch(/script-src[^;]*unsafe-inline/);
    const page = await response.text();
    expect(page).toContain('<div id="root">');
    // No inline script: every <script> loads a file.
    expect(page.match(/<script(?![^>]*\bsrc=)[^>]*>/g) ?? []).toEqual([]);
  });

  it('serve the page and its files with the anti-framing, referrer and type headers, the page uncached and the hashed files for a year', async () => {
    const expected = {
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
    };
    const index = await fetch(`${gw.url}/`, { headers: { accept: 'text/html' } });
    await index.text();
    expect(index.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${gw.url}/assets/${(await consoleAsset()).name}`);
    await asset.arrayBuffer();
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const response of [index, asset]) {
      for (const [name, value] of Object.entries(expected)) expect(response.headers.get(name), name).toBe(value);
    }
  });

  it('list the demo presets for the sign-in cards', async () => {
    const response = await fetch(`${gw.url}/console/session-options`);
    const body = (await response.json()) as { signIn: string; presets: { name: string }[] };
    expect(body.signIn).toBe('demo');
    expect(body.presets.map((preset) => preset.name)).toContain('county-analyst');
  });

  it('mint a token for a preset that the GraphQL endpoint accepts', async () => {
    const response = await fetch(`${gw.url}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: 'county-analyst' }),
    });
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const answer = await gw.post<{ checkUscc: { valid: boolean } }>(
      '{ checkUscc(code: "91330381MA2G2YEE23") { valid } }',
      undefined,
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.checkUscc.valid).toBe(true);
  });

  it('refuse an unknown preset with 400 and the reason', async () => {
    const response = await fetch(`${gw.url}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: 'mayor' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: { extensions: { code: string; reason: string } }[] };
    expect(body.errors[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'unknown_preset' });
  });

  it('answer a console file that does not exist 404 and a path that cannot be decoded 400, never 500', async () => {
    const missing = await fetch(`${gw.url}/assets/no-such-file.js`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] });

    const undecodable = await fetch(`${gw.url}/assets/%E0%A4%A`);
    expect(undecodable.status).toBe(400);
    expect(await undecodable.json()).toEqual({
      errors: [{ message: 'Bad request.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('refuse a demo-token request whose compressed body does not decompress with 400, never 500', async () => {
    const response = await fetch(`${gw.url}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'not gzip at all',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { extensions: unknown }[] }).errors[0]?.extensions).toEqual({
      code: 'BAD_REQUEST',
    });
  });

  it('refuse a demo-token body over its own 1 kB limit with 413, naming that limit rather than /graphql’s', async () => {
    const response = await fetch(`${gw.url}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: 'county-analyst', padding: 'x'.repeat(2000) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is larger than 1kb.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });

  it('answer a console file asked for beyond its end 416 RANGE_NOT_SATISFIABLE, with the Content-Range of its size', async () => {
    const asset = await consoleAsset();
    const response = await fetch(`${gw.url}/assets/${asset.name}`, { headers: { range: 'bytes=999999999-' } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe(`bytes */${asset.size}`);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBeNull();
    expect(await response.json()).toEqual({
      errors: [
        { message: 'The range asked for is not within the file.', extensions: { code: 'RANGE_NOT_SATISFIABLE' } },
      ],
    });
  });

  it('answer a console file whose precondition fails 412 PRECONDITION_FAILED', async () => {
    const asset = await consoleAsset();
    const response = await fetch(`${gw.url}/assets/${asset.name}`, { headers: { 'if-match': '"not-its-etag"' } });
    expect(response.status).toBe(412);
    // The file's caching headers must not make a shared cache keep this error as the file for a year.
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('etag')).toBeNull();
    expect(response.headers.get('last-modified')).toBeNull();
    expect(await response.json()).toEqual({
      errors: [
        { message: 'A precondition of the request does not hold.', extensions: { code: 'PRECONDITION_FAILED' } },
      ],
    });
  });

  it('answer a path climbing out of the console folder 403 FORBIDDEN, naming no path on the server', async () => {
    const response = await fetch(`${gw.url}/assets/..%2findex.html`);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({
      errors: [{ message: 'Forbidden.', extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('send no browser to another site, whatever return address or doubled slash the path carries', async () => {
    const probes = [
      '/?returnTo=https://evil.example/',
      '/?redirect_uri=https://evil.example/',
      '/?next=//evil.example/',
      '//evil.example/',
      '//evil.example/%2e%2e',
      '/%2F%2Fevil.example/',
      '/assets',
      '/assets//evil.example',
      '/assets/%2F%2Fevil.example',
      '/ide/assets',
      '/console/session-options?returnTo=https://evil.example/',
    ];
    for (const path of probes) {
      const response = await fetch(`${gw.url}${path}`, { redirect: 'manual', headers: { accept: 'text/html' } });
      await response.arrayBuffer();
      const location = response.headers.get('location');
      if (location !== null)
        expect(new URL(location, gw.url).origin, `${path} → ${location}`).toBe(new URL(gw.url).origin);
    }
  });

  it('keep the GraphQL IDE at /graphql', async () => {
    const response = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await response.text()).toContain('graphiql');
  });
});

describe('the console routes of a gateway with a configured identity platform', () => {
  let other: Gateway;
  afterAll(async () => {
    await other?.close();
  });

  it('mint no demo token', async () => {
    other = await startTestGateway({
      authRequired: true,
      env: { AUTH_ISSUERS: JSON.stringify([{ issuer: 'https://idp.example', jwksUrl: 'https://idp.example/jwks' }]) },
    });
    const response = await fetch(`${other.url}/console/demo-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preset: 'admin' }),
    });
    expect(response.status).toBe(404);
    const options = (await (await fetch(`${other.url}/console/session-options`)).json()) as {
      signIn: string;
      presets: unknown[];
    };
    expect(options).toEqual({ signIn: 'unavailable', presets: [] });
  });
});
