import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  // CountMe is an operation this deployment knows, so the metrics count it by name (any other name is `other`).
  gw = await startTestGateway({ env: { METRICS_OPERATION_NAMES: 'CountMe' } });
});
afterAll(() => gw?.close());

describe('operating the gateway', () => {
  it('is live and ready when the store and every agency answer', async () => {
    expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gw.url}/readyz`);
    const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
    expect(ready.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(['approval', 'credit', 'enforcement', 'store', 'supervision']);
  });

  it('stays in service but reports itself degraded while an agency is down, and names it', async () => {
    await gw.simulators.control('enforcement').setFaults({ down: true });
    try {
      const ready = await fetch(`${gw.url}/readyz`);
      const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
      expect(ready.status).toBe(200);
      expect(body.status).toBe('degraded');
      expect(body.checks.enforcement?.ok).toBe(false);
      expect(body.checks.approval?.ok).toBe(true);
      expect((await fetch(`${gw.url}/healthz`)).status).toBe(200);
    } finally {
      await gw.simulators.control('enforcement').clearFaults();
    }
  });

  it('counts GraphQL operations and upstream requests in Prometheus format', async () => {
    expectNoGraphQLErrors(await gw.post(`query CountMe { subjects(first: 2) { nodes { permits { permitNo } } } }`));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).toMatch(/gateway_graphql_operations_total\{type="query",name="CountMe",outcome="ok"\} 1/);
    expect(metrics).toMatch(/gateway_upstream_requests_total\{system="approval",[^}]*outcome="ok"\} \d+/);
    expect(metrics).toContain('gateway_upstream_request_duration_seconds_bucket{');
  });

  it('counts operations with names it does not know as other, so clients cannot add series', async () => {
    for (const name of ['Unknown1', 'Unknown2', 'Unknown3'])
      expectNoGraphQLErrors(await gw.post(`query ${name} { __typename }`));
    const metrics = await (await fetch(`${gw.url}/metrics`)).text();
    expect(metrics).not.toContain('name="Unknown1"');
    expect(metrics).toMatch(/gateway_graphql_operations_total\{type="query",name="other",outcome="ok"\} [3-9]/);
  });

  it("echoes a caller's request id and makes one up when none is sent", async () => {
    const echoed = await gw.post(`{ __typename }`, undefined, { 'x-request-id': 'agency-42.abc' });
    expect(echoed.headers.get('x-request-id')).toBe('agency-42.abc');
    const made = await gw.post(`{ __typename }`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the GraphQL IDE from its own packages when a browser opens /graphql', async () => {
    const page = await fetch(`${gw.url}/graphql`, { headers: { accept: 'text/html' } });
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('/ide/assets/');
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('refuses a body that is not JSON with a GraphQL-shaped 400 and no stack trace', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(JSON.parse(text)).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(text).not.toContain('node_modules');
  });

  it('refuses a body over the size limit with 413 and a clear reason', async () => {
    const huge = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(300_000) } });
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: huge,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is larger than 256kb.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
  });
});

describe('browser requests', () => {
  it('refuses a simple cross-site GET query that a form or image could send (CSRF)', async () => {
    const response = await fetch(`${gw.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/i);
  });
});

describe('administration while authentication is off', () => {
  it('refuses every administrative field, since no caller can be known', async () => {
    const [error] = expectGraphQLErrors(await gw.post(`{ grants { id } }`));
    expect(error?.extensions?.code).toBe('FORBIDDEN');
    expect(error?.message).toContain('AUTH_REQUIRED');
  });
});

describe('query limits', () => {
  /** permit → holder → permits → holder → … : the schema's links make any depth expressible. */
  function cyclicQuery(levels: number): string {
    let selection = 'permitNo';
    for (let i = 0; i < levels; i++) selection = `permitNo holder { permits { ${selection} } }`;
    return `{ permit(permitNo: "x") { ${selection} } }`;
  }

  it('refuses a query deeper than the limit before calling any agency, and names the limit', async () => {
    const before = await gw.upstreamRequestCounts();
    const response = await gw.post(cyclicQuery(8));
    const [error] = expectGraphQLErrors(response);
    expect(response.status).toBe(400);
    expect(error!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error!.message).toMatch(/depth limit of 12/i);
    expect(await gw.upstreamRequestCounts()).toEqual(before);
  });

  it('refuses a query with more aliases than allowed', async () => {
    const aliases = Array.from({ length: 25 }, (_, i) => `a${i}: checkUscc(code: "x") { valid }`).join(' ');
    const [error] = expectGraphQLErrors(await gw.post(`{ ${aliases} }`));
    expect(error!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error!.message).toMatch(/aliases limit of 20/i);
  });

  const richSelection = `
      uscc name township { name parent { name } }
      permits { permitNo itemName status issuer { name } inspections { id kind outcome authorities { name }
        clues { id status receiver { name } case { caseNo status penalties { decisionNo kinds fine { yuan fen }
          creditRecords { id status publicityEndsOn fine { wanYuan } } } } } } }
      inspections { id } clues { id } cases { caseNo } penalties { decisionNo }
      credit { grade dishonesty { status listedOn } records { id kind } commitments { id } }
      timeline { events { at stage kind summary recordId } unavailableSystems { system } }`;

  it('accepts the deepest legitimate question: 100 enterprises through every link of the loop', async () => {
    expectNoGraphQLErrors(await gw.post(`{ subjects(first: 100) { nodes { ${richSelection} } } }`));
  });

  it('refuses a document costing more than the limit, before calling any agency', async () => {
    const before = await gw.upstreamRequestCounts();
    const selection = `${richSelection} ${richSelection} ${richSelection}`;
    const [error] = expectGraphQLErrors(await gw.post(`{ subjects(first: 100) { nodes { ${selection} } } }`));
    expect(error!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error!.message).toMatch(/Cost limit of 20000 exceeded/);
    expect(await gw.upstreamRequestCounts()).toEqual(before);
  });

  it('stops parsing a document with more tokens than allowed, with a 400', async () => {
    const fields = Array.from({ length: 3200 }, () => '__typename').join(' ');
    const response = await gw.post(`{ ${fields} }`);
    expect(response.status).toBe(400);
    expect(expectGraphQLErrors(response)[0]).toMatchObject({
      message: expect.stringContaining('more that 3000 tokens'),
      extensions: { code: 'GRAPHQL_PARSE_FAILED' },
    });
  });

  it('still answers a full introspection query, which the IDE needs', async () => {
    const data = expectNoGraphQLErrors(await gw.post<{ __schema: { types: unknown[] } }>(getIntrospectionQuery()));
    expect(data.__schema.types.length).toBeGreaterThan(50);
  });
});
