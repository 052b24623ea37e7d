import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const CLIENT_A = '203.0.113.7';
const CLIENT_B = '198.51.100.23';
const BAD_TOKEN = { authorization: 'Bearer not-a-token' };

async function newestClientAddress(gw: TestGateway): Promise<string | null> {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  if (!entry) throw new Error('the access log is empty');
  return entry.clientAddress;
}

describe('TRUST_PROXY', () => {
  it('reads addresses, CIDR ranges and range names, comma-separated; none by default', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, loopback ,fd00::1 ' }).trustedProxies).toEqual([
      '10.0.0.0/8',
      'loopback',
      'fd00::1',
    ]);
  });

  it('refuses trusting every hop or a count of hops, which would let any client forge its address', () => {
    for (const setting of ['true', '*', '2', 'loopback, true'])
      expect(() => loadConfig({ TRUST_PROXY: setting })).toThrow(/TRUST_PROXY[\s\S]*forge its address/);
  });

  it('names an entry that is no address or range', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'loopback, proxy.internal' })).toThrow(
      /TRUST_PROXY[\s\S]*"proxy\.internal" is not an IP address/,
    );
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(/TRUST_PROXY[\s\S]*"10\.0\.0\.0\/40"/);
  });
});

describe('a gateway trusting no proxy (the default)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true, env: { AUTH_FAILURE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(() => gw?.close());

  it('ignores X-Forwarded-For: the access log names the socket address and the failure limit counts it', async () => {
    const first = await gw.post('{ __typename }', undefined, { ...BAD_TOKEN, 'x-forwarded-for': CLIENT_A });
    expect(first.status).toBe(401);
    expect(await newestClientAddress(gw)).toMatch(/127\.0\.0\.1$/);
    expect((await gw.post('{ __typename }', undefined, { ...BAD_TOKEN, 'x-forwarded-for': CLIENT_B })).status).toBe(
      401,
    );
    // A third "client" is the same socket address, over its limit of two.
    const third = await gw.post('{ __typename }', undefined, { ...BAD_TOKEN, 'x-forwarded-for': '192.0.2.1' });
    expect(third.status).toBe(429);
  });
});

describe('a gateway behind a trusted proxy (TRUST_PROXY=loopback)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({
      authRequired: true,
      env: { TRUST_PROXY: 'loopback', AUTH_FAILURE_LIMIT_PER_MINUTE: '2' },
    });
  });
  afterAll(() => gw?.close());

  it('records the client the proxy names in the access log, for answers and refusals alike', async () => {
    const answered = await gw.post('{ __typename }', undefined, {
      ...(await gw.as('county-analyst')),
      'x-forwarded-for': CLIENT_A,
    });
    expect(answered.status).toBe(200);
    expect(await newestClientAddress(gw)).toBe(CLIENT_A);
    const refused = await gw.post('{ __typename }', undefined, { ...BAD_TOKEN, 'x-forwarded-for': CLIENT_B });
    expect(refused.status).toBe(401);
    expect(await newestClientAddress(gw)).toBe(CLIENT_B);
  });

  it('takes the nearest address the proxy added, not one the client wrote before it', async () => {
    // The client sent "X-Forwarded-For: 192.0.2.99"; the proxy appended the address it saw.
    await gw.post('{ __typename }', undefined, {
      ...(await gw.as('county-analyst')),
      'x-forwarded-for': `192.0.2.99, ${CLIENT_A}`,
    });
    expect(await newestClientAddress(gw)).toBe(CLIENT_A);
  });

  it('reads the line the proxy appended after 2000 of the client’s headers: the client cannot choose its address', async () => {
    // Node dropped headers past the 2000th without a word by default, the proxy's line among them.
    const headers = {
      ...(await gw.as('county-analyst')),
      'content-type': 'application/json',
      'x-forwarded-for': ['192.0.2.99', CLIENT_A],
      ...Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-f${i}`, 'a'])),
    };
    // The client's line first, 2000 fillers, the proxy's line last (header order follows the keys).
    const { 'x-forwarded-for': lines, ...rest } = headers;
    const status = await new Promise<number>((resolve, reject) => {
      const sent = request(`${gw.url}/graphql`, { method: 'POST' }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      sent.on('error', reject);
      sent.setHeader('x-forwarded-for', lines[0]!);
      for (const [name, value] of Object.entries(rest)) sent.setHeader(name, value);
      sent.appendHeader('x-forwarded-for', lines[1]!);
      sent.end(JSON.stringify({ query: '{ __typename }' }));
    });
    expect(status).toBe(200);
    expect(await newestClientAddress(gw)).toBe(CLIENT_A);
  });

  it('limits failed authentications per client, so one client over its limit shuts out no other behind the proxy', async () => {
    // CLIENT_B failed once above; once more reaches its limit of two.
    expect((await gw.post('{ __typename }', undefined, { ...BAD_TOKEN, 'x-forwarded-for': CLIENT_B })).status).toBe(
      401,
    );
    const overLimit = await gw.post('{ __typename }', undefined, { ...BAD_TOKEN, 'x-forwarded-for': CLIENT_B });
    expect(overLimit.status).toBe(429);
    const other = await gw.post('{ __typename }', undefined, {
      ...(await gw.as('county-analyst')),
      'x-forwarded-for': CLIENT_A,
    });
    expect(other.status).toBe(200);
  });
});
