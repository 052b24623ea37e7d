import { afterEach, describe, expect, it } from 'vitest';
import { ResilientHttpClient, type UpstreamCall } from '../../src/connectors/http/index.ts';
import { loadShippedProfile } from '../../src/connectors/profiles/load-profile.ts';
import { openEnvelope } from '../../src/connectors/transport/http-record-transport.ts';
import { UpstreamBadResponseError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/platform/errors.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { startTestServer, type TestHandler, type TestServer } from './test-server.ts';

/** Agency answers that go wrong after their headers: the body stalls, is cut, or is not what was promised. */
const openApprovalEnvelope = openEnvelope(loadShippedProfile('approval').transport.envelope);
const read: UpstreamCall<unknown> = {
  operation: 'things.list',
  method: 'GET',
  path: '/api/things',
  idempotent: true,
  parse: (data) => data,
};

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function callAgainst(handler: TestHandler): Promise<{ error: unknown; ms: number }> {
  const server = await startTestServer(handler);
  servers.push(server);
  const http = new ResilientHttpClient(
    { system: 'approval', baseUrl: server.url, metrics: createMetrics(), timeoutMs: 300, retries: 0 },
    openApprovalEnvelope,
  );
  const started = Date.now();
  const error = await http.call(read).catch((thrown: unknown) => thrown);
  return { error, ms: Date.now() - started };
}

describe('an agency answer that goes wrong after its headers', () => {
  it('gives up on a body that stops arriving as UPSTREAM_TIMEOUT within the attempt timeout', async () => {
    const { error, ms } = await callAgainst((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"code":0,"msg":"ok","data":[');
    });
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(ms).toBeLessThan(2000);
  });

  it('reports a body cut by a reset connection as UPSTREAM_UNAVAILABLE', async () => {
    const { error } = await callAgainst((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      res.write('{"code":0,"msg":"ok","data":[', () => res.socket?.destroy());
    });
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
  });

  it('reports an HTML error page sent with 200 as UPSTREAM_BAD_RESPONSE invalid_json', async () => {
    const { error } = await callAgainst((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>系统维护中</body></html>');
    });
    expect(error).toBeInstanceOf(UpstreamBadResponseError);
    expect(error).toMatchObject({ extensions: { reason: 'invalid_json' } });
  });
});
