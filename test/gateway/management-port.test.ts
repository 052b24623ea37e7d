import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { loadConfig } from '../../src/platform/config.ts';

/** GET `path` of `origin`: its status and body. */
async function get(origin: string, path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${origin}${path}`);
  return { status: response.status, body: await response.text() };
}

describe('the operator’s endpoints on a port of their own (MANAGEMENT_PORT)', () => {
  let gw: TestGateway;
  let management: string;

  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true, env: { MANAGEMENT_PORT: '0' } });
    management = gw.gateway.managementUrl!;
  }, 120_000);
  afterAll(() => gw?.close());

  it('listens apart from the callers’ port', () => {
    expect(management).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(management).not.toBe(gw.url);
  });

  it('answers liveness, readiness and the metrics there', async () => {
    expect(await get(management, '/healthz')).toEqual({ status: 200, body: '{"status":"ok"}' });
    const readiness = await get(management, '/readyz');
    expect(readiness.status).toBe(200);
    expect(JSON.parse(readiness.body)).toMatchObject({ status: 'ready', checks: { store: { ok: true } } });
    const metrics = await get(management, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toMatch(/^gateway_http_connections_refused_total 0$/m);
  });

  it('takes /metrics off the callers’ port, and keeps the probes there for a load balancer', async () => {
    const metrics = await get(gw.url, '/metrics');
    expect(metrics.status).toBe(404);
    expect(JSON.parse(metrics.body).errors[0].extensions.code).toBe('NOT_FOUND');
    expect((await get(gw.url, '/healthz')).status).toBe(200);
    expect((await get(gw.url, '/readyz')).status).toBe(200);
  });

  it('serves nothing else: GraphQL, the console and other methods are refused there', async () => {
    const graphql = await fetch(`${management}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(graphql.status).toBe(404);
    const refusal = (await graphql.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(refusal.errors[0]!.extensions.code).toBe('NOT_FOUND');
    expect(refusal.errors[0]!.message).toContain('this port serves GET /healthz, /readyz and /metrics');
    expect((await get(management, '/console/')).status).toBe(404);
    expect((await fetch(`${management}/healthz`, { method: 'DELETE' })).status).toBe(405);
  });
});

describe('MANAGEMENT_PORT and MANAGEMENT_HOST', () => {
  it('are off unless set: the operator’s endpoints share PORT', () => {
    expect(loadConfig({}).management).toBeNull();
  });

  it('listen on HOST’s interface unless MANAGEMENT_HOST names another', () => {
    expect(loadConfig({ HOST: '0.0.0.0', MANAGEMENT_PORT: '9464' }).management).toEqual({
      port: 9464,
      host: '0.0.0.0',
    });
    expect(loadConfig({ MANAGEMENT_PORT: '9464', MANAGEMENT_HOST: '10.0.0.5' }).management).toEqual({
      port: 9464,
      host: '10.0.0.5',
    });
  });

  it.each([
    [{ MANAGEMENT_PORT: '4000' }, /MANAGEMENT_PORT="4000": must differ from PORT/],
    [{ PORT: '8080', MANAGEMENT_PORT: '8080' }, /MANAGEMENT_PORT="8080": must differ from PORT/],
    [{ MANAGEMENT_PORT: '65536' }, /MANAGEMENT_PORT="65536": must be a whole number from 0 to 65535/],
    [{ MANAGEMENT_PORT: 'metrics' }, /MANAGEMENT_PORT="metrics": must be a whole number/],
    [{ MANAGEMENT_PORT: '-1' }, /MANAGEMENT_PORT="-1": must be a whole number/],
    [{ MANAGEMENT_HOST: '0.0.0.0' }, /MANAGEMENT_HOST="0.0.0.0": must be set only with MANAGEMENT_PORT/],
  ])('refuse %j, naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
