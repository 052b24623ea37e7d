import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResilientHttpClient } from '../../src/connectors/http/index.ts';
import { MAX_AGENCY_BODY_BYTES } from '../../src/connectors/http/agency-dispatcher.ts';
import type { ResilientHttpOptions, UpstreamCall } from '../../src/connectors/http/index.ts';
import { loadShippedProfile } from '../../src/connectors/profiles/load-profile.ts';
import { openEnvelope } from '../../src/connectors/transport/http-record-transport.ts';
import { UpstreamBadResponseError, UpstreamTimeoutError, UpstreamUnavailableError } from '../../src/platform/errors.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { closedPort, delay, sendJson, startTestServer } from './test-server.ts';
import type { TestHandler, TestServer } from './test-server.ts';
import { metricValue } from './metric-values.ts';

// The approval platform's envelope, as its profile describes it.
const openApprovalEnvelope = openEnvelope(loadShippedProfile('approval').transport.envelope);
const ok = (data: unknown) => ({ code: 0, msg: 'ok', data });
const failed = { code: 500, msg: 'internal error at http://secret.internal/db?password=x' };

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function serve(handler: TestHandler): Promise<TestServer> {
  const server = await startTestServer(handler);
  servers.push(server);
  return server;
}

function client(baseUrl: string, options: Partial<ResilientHttpOptions> = {}) {
  const metrics = createMetrics();
  const http = new ResilientHttpClient(
    { system: 'approval', baseUrl, metrics, backoff: { initialDelayMs: 10, maxDelayMs: 20 }, ...options },
    openApprovalEnvelope,
  );
  return { http, metrics };
}

function read(overrides: Partial<UpstreamCall<unknown>> = {}): UpstreamCall<unknown> {
  return {
    operation: 'things.list',
    method: 'GET',
    path: '/api/things',
    idempotent: true,
    parse: (data) => data,
    ...overrides,
  };
}

const never: TestHandler = () => undefined;

describe('ResilientHttpClient', () => {
  it('returns the payload inside the envelope', async () => {
    const server = await serve((_, response) => sendJson(response, 200, ok({ answer: 42 })));
    const { http } = client(server.url);
    await expect(http.call(read())).resolves.toEqual({ answer: 42 });
  });

  it('aborts no signal of a call that succeeded: each abort builds a DOMException and runs the request abort steps', async () => {
    const server = await serve((_, response) => sendJson(response, 200, ok({ answer: 42 })));
    const { http } = client(server.url);
    const aborts = vi.spyOn(AbortController.prototype, 'abort');
    try {
      await expect(http.call(read())).resolves.toEqual({ answer: 42 });
      expect(aborts).not.toHaveBeenCalled();
      expect(server.abandoned()).toBe(0);
    } finally {
      aborts.mockRestore();
    }
  });

  it('keeps the connection to the system alive from one call to the next', async () => {
    const server = await serve((_, response) => sendJson(response, 200, ok('again')));
    const { http } = client(server.url);
    for (let i = 0; i < 10; i++) await expect(http.call(read())).resolves.toBe('again');
    expect(server.requests).toHaveLength(10);
    // Not one: undici hands over the body a moment before it frees the connection, so a call made
    // straight after may open a second (fetch did the same); without keep-alive it would be ten.
    expect(server.connections()).toBeLessThanOrEqual(2);
  });

  it('aborts the request of an attempt that timed out: the system sees the client go away', async () => {
    const server = await serve(never);
    const { http } = client(server.url, { timeoutMs: 100, retries: 0 });
    await expect(http.call(read())).rejects.toBeInstanceOf(UpstreamTimeoutError);
    await vi.waitFor(() => expect(server.abandoned()).toBe(1));
  });

  it('sends the configured headers, accept and the JSON body with its content type', async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const server = await serve((_, response, raw) => {
      seen.push(raw.headers);
      sendJson(response, 200, ok([]));
    });
    const { http } = client(server.url, { headers: { 'x-api-key': 'k-123' } });
    await http.call(read({ method: 'POST', path: '/api/things/batch', body: { keys: ['a'] }, query: { page: 2 } }));
    expect(server.requests).toEqual([{ method: 'POST', url: '/api/things/batch?page=2', body: { keys: ['a'] } }]);
    expect(seen[0]).toMatchObject({
      'x-api-key': 'k-123',
      accept: 'application/json',
      'content-type': 'application/json',
    });
  });

  it('follows a redirect to where the system moved the resource', async () => {
    const server = await serve((request, response) => {
      if (request.url === '/api/things') {
        response.writeHead(307, { location: '/api/things-v2' });
        response.end();
      } else sendJson(response, 200, ok('moved'));
    });
    const { http } = client(server.url);
    await expect(http.call(read())).resolves.toBe('moved');
    expect(server.requests.map((request) => request.url)).toEqual(['/api/things', '/api/things-v2']);
  });

  it('gives up on a server that never answers with UPSTREAM_TIMEOUT after the attempt timeout', async () => {
    const server = await serve(never);
    const { http } = client(server.url, { timeoutMs: 150, retries: 0 });
    const started = Date.now();
    const error = await http.call(read()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(error).toMatchObject({ extensions: { code: 'UPSTREAM_TIMEOUT', system: 'approval', timeoutMs: 150 } });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('bounds a retried call by its deadline even when every attempt times out', async () => {
    const server = await serve(never);
    const { http } = client(server.url, { timeoutMs: 100, retries: 10, deadlineMs: 300 });
    const started = Date.now();
    const error = await http.call(read()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(800);
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });

  it('bounds a call queued behind a busy bulkhead by its deadline', async () => {
    const server = await serve(never);
    const { http } = client(server.url, { timeoutMs: 1000, retries: 0, maxConcurrent: 1, deadlineMs: 200 });
    const first = http.call(read()).catch((e: unknown) => e);
    const started = Date.now();
    const queued = await http.call(read()).catch((e: unknown) => e);
    expect(queued).toBeInstanceOf(UpstreamTimeoutError);
    expect(Date.now() - started).toBeLessThan(600);
    await first;
  });

  it('retries an idempotent read after one HTTP 500 and then succeeds', async () => {
    let calls = 0;
    const server = await serve((_, response) =>
      ++calls === 1 ? sendJson(response, 500, failed) : sendJson(response, 200, ok('fine')),
    );
    const { http } = client(server.url);
    await expect(http.call(read())).resolves.toBe('fine');
    expect(server.requests).toHaveLength(2);
  });

  it('does not retry a call that is not idempotent', async () => {
    const server = await serve((_, response) => sendJson(response, 500, failed));
    const { http } = client(server.url);
    const error = await http.call(read({ method: 'POST', idempotent: false, body: {} })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'approval', reason: 'http_500' },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reports HTTP 400 as UPSTREAM_BAD_RESPONSE without retrying it', async () => {
    const server = await serve((_, response) => sendJson(response, 400, { code: 400, msg: 'too many keys' }));
    const { http } = client(server.url);
    const error = await http.call(read()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamBadResponseError);
    expect(error).toMatchObject({ extensions: { code: 'UPSTREAM_BAD_RESPONSE', reason: 'http_400' } });
    expect(server.requests).toHaveLength(1);
  });

  // A system shedding load or a proxy giving up on it is away for now, like a 503: the client is
  // told to retry (UPSTREAM_UNAVAILABLE), not that the answer was unusable for good.
  it.each([408, 429])('reports HTTP %i as UPSTREAM_UNAVAILABLE, for a read and a write alike', async (status) => {
    const refusing = await serve((_, response) => sendJson(response, status, { code: status, msg: 'busy' }));
    for (const call of [read(), read({ method: 'POST', idempotent: false, body: {} })]) {
      const error = await client(refusing.url)
        .http.call(call)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(error).toMatchObject({
        extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'approval', reason: `http_${status}` },
      });
    }
  });

  it('retries an idempotent read answered 408, as a 5xx', async () => {
    let calls = 0;
    const server = await serve((_, response) =>
      ++calls === 1 ? sendJson(response, 408, { code: 408, msg: 'busy' }) : sendJson(response, 200, ok('fine')),
    );
    await expect(client(server.url).http.call(read())).resolves.toBe('fine');
    expect(server.requests).toHaveLength(2);
  });

  it('does not ask a system shedding load (429) again within the call: it would triple the load it refuses', async () => {
    let calls = 0;
    const server = await serve((_, response) =>
      ++calls === 1 ? sendJson(response, 429, { code: 429, msg: 'busy' }) : sendJson(response, 200, ok('fine')),
    );
    const error = await client(server.url)
      .http.call(read())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'http_429' } });
    expect(server.requests).toHaveLength(1);
  });

  // A system (or a proxy before it) sending hundreds of megabytes would be read whole and parsed
  // on the event loop, holding every other request: it is cut off at the limit instead.
  it('reports a body over its limit as UPSTREAM_BAD_RESPONSE body_too_large, declared or streamed, without retrying', async () => {
    const megabyte = Buffer.alloc(1024 * 1024, 0x20);
    const megabytes = MAX_AGENCY_BODY_BYTES / megabyte.length + 1;
    const declared = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': megabytes * megabyte.length });
      for (let i = 0; i < megabytes; i += 1) response.write(megabyte);
      response.end();
    });
    const streamed = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      for (let i = 0; i < megabytes; i += 1) response.write(megabyte);
      response.end();
    });
    for (const server of [declared, streamed]) {
      const error = await client(server.url)
        .http.call(read())
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamBadResponseError);
      expect(error).toMatchObject({
        extensions: { code: 'UPSTREAM_BAD_RESPONSE', system: 'approval', reason: 'body_too_large' },
      });
      expect(server.requests).toHaveLength(1);
    }
  });

  it('refuses an answer declaring a length over the limit from its headers, before reading its body, and lets its connection go', async () => {
    let socketClosed: Promise<void> = new Promise(() => undefined);
    const server = await serve((_, response, raw) => {
      socketClosed = new Promise((resolve) => raw.socket.once('close', () => resolve()));
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': MAX_AGENCY_BODY_BYTES + 1 });
      // A first megabyte, then nothing: an answer read until its declared end would wait for the rest.
      response.write(Buffer.alloc(1024 * 1024, 0x20));
    });
    const started = performance.now();
    const error = await client(server.url, { timeoutMs: 5_000, retries: 0 })
      .http.call(read())
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', system: 'approval', reason: 'body_too_large' },
    });
    expect(performance.now() - started).toBeLessThan(2_000);
    // The gateway closed the connection: it is neither kept for reuse nor left to drain.
    await socketClosed;
    expect(server.abandoned()).toBe(1);
  });

  it('reports a body that is not JSON as UPSTREAM_BAD_RESPONSE invalid_json', async () => {
    const server = await serve((_, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>gateway error</html>');
    });
    const { http } = client(server.url);
    await expect(http.call(read())).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', reason: 'invalid_json' },
    });
  });

  it('reports an error envelope sent with HTTP 200 as UPSTREAM_BAD_RESPONSE error_envelope', async () => {
    const server = await serve((_, response) => sendJson(response, 200, { code: 1001, msg: 'bad parameter' }));
    const { http } = client(server.url);
    await expect(http.call(read())).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_BAD_RESPONSE', reason: 'error_envelope' },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('reports a payload of the wrong shape as UPSTREAM_BAD_RESPONSE unexpected_shape', async () => {
    const server = await serve((_, response) => sendJson(response, 200, ok({ not: 'an array' })));
    const { http } = client(server.url);
    const call = read({
      parse: (data) => {
        if (!Array.isArray(data)) throw new Error('expected an array');
        return data;
      },
    });
    await expect(http.call(call)).rejects.toMatchObject({ extensions: { reason: 'unexpected_shape' } });
  });

  it('reports a refused connection as UPSTREAM_UNAVAILABLE connection_refused', async () => {
    const port = await closedPort();
    const { http } = client(`http://127.0.0.1:${port}`, { retries: 1 });
    const error = await http.call(read()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    expect(error).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'approval', reason: 'connection_refused' },
    });
  });

  it('reports a connection closed mid-request as UPSTREAM_UNAVAILABLE connection_reset', async () => {
    const server = await serve((_, response, raw) => {
      raw.socket.destroy();
      response.destroy();
    });
    const { http } = client(server.url, { retries: 0 });
    await expect(http.call(read())).rejects.toMatchObject({ extensions: { reason: 'connection_reset' } });
  });

  it('opens the circuit after consecutive failures and then fails fast without calling the system', async () => {
    const server = await serve((_, response) => sendJson(response, 503, failed));
    const { http, metrics } = client(server.url, { retries: 0, breaker: { threshold: 3, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 3; i++) {
      await expect(http.call(read())).rejects.toMatchObject({ extensions: { reason: 'http_503' } });
    }
    const started = Date.now();
    await expect(http.call(read())).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'circuit_open' },
    });
    expect(Date.now() - started).toBeLessThan(200);
    expect(server.requests).toHaveLength(3);
    expect(await metricValue(metrics, 'gateway_upstream_requests_total', { outcome: 'rejected' })).toBe(1);
  });

  it('lets a trial call through once the circuit is half-open and closes it on success', async () => {
    let healthy = false;
    const server = await serve((_, response) =>
      healthy ? sendJson(response, 200, ok('back')) : sendJson(response, 500, failed),
    );
    const { http } = client(server.url, { retries: 0, breaker: { threshold: 2, halfOpenAfterMs: 100 } });
    await http.call(read()).catch(() => undefined);
    await http.call(read()).catch(() => undefined);
    await expect(http.call(read())).rejects.toMatchObject({ extensions: { reason: 'circuit_open' } });
    healthy = true;
    await delay(150);
    await expect(http.call(read())).resolves.toBe('back');
    await expect(http.call(read())).resolves.toBe('back');
  });

  it('does not count answers that are our own bug (HTTP 4xx) towards opening the circuit', async () => {
    const server = await serve((_, response) => sendJson(response, 400, { code: 400, msg: 'bad' }));
    const { http } = client(server.url, { breaker: { threshold: 2, halfOpenAfterMs: 60_000 } });
    for (let i = 0; i < 4; i++) {
      await expect(http.call(read())).rejects.toMatchObject({ extensions: { reason: 'http_400' } });
    }
    expect(server.requests).toHaveLength(4);
  });

  it('never has more than maxConcurrent requests in flight at the system', async () => {
    const server = await serve(async (_, response) => {
      await delay(50);
      sendJson(response, 200, ok('done'));
    });
    const { http } = client(server.url, { maxConcurrent: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, () => http.call(read())));
    expect(results).toHaveLength(12);
    expect(server.requests).toHaveLength(12);
    expect(server.maxInFlight()).toBeLessThanOrEqual(3);
    expect(server.maxInFlight()).toBeGreaterThan(1);
  });

  it('refuses calls beyond the queue with UPSTREAM_UNAVAILABLE concurrency_limit', async () => {
    const server = await serve(async (_, response) => {
      await delay(100);
      sendJson(response, 200, ok('done'));
    });
    const { http } = client(server.url, { maxConcurrent: 1, maxQueued: 1 });
    const outcomes = await Promise.allSettled([http.call(read()), http.call(read()), http.call(read())]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const rejected = outcomes[2];
    expect(rejected?.status === 'rejected' && rejected.reason).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE', reason: 'concurrency_limit' },
    });
    expect(server.requests).toHaveLength(2);
  });

  it('counts every HTTP attempt by outcome and times the whole call', async () => {
    let calls = 0;
    const server = await serve((_, response) =>
      ++calls === 1 ? sendJson(response, 500, failed) : sendJson(response, 200, ok([])),
    );
    const { http, metrics } = client(server.url);
    await http.call(
      read({ operation: 'permits.batchByNo', method: 'POST', body: { permitNos: ['a', 'b'] }, batchKeys: 2 }),
    );
    const labels = { system: 'approval', operation: 'permits.batchByNo' };
    expect(await metricValue(metrics, 'gateway_upstream_requests_total', { ...labels, outcome: 'error' })).toBe(1);
    expect(await metricValue(metrics, 'gateway_upstream_requests_total', { ...labels, outcome: 'ok' })).toBe(1);
    const durationCount = 'gateway_upstream_request_duration_seconds_count';
    expect(await metricValue(metrics, 'gateway_upstream_request_duration_seconds', labels, durationCount)).toBe(1);
    expect(await metricValue(metrics, 'gateway_upstream_batch_keys', labels, 'gateway_upstream_batch_keys_sum')).toBe(
      2,
    );
  });

  it('counts a timed-out attempt with outcome timeout', async () => {
    const server = await serve(never);
    const { http, metrics } = client(server.url, { timeoutMs: 50, retries: 1, deadlineMs: 2000 });
    await http.call(read()).catch(() => undefined);
    expect(await metricValue(metrics, 'gateway_upstream_requests_total', { outcome: 'timeout' })).toBe(2);
  });

  it('keeps upstream messages and URLs out of the client-facing error', async () => {
    const server = await serve((_, response) => sendJson(response, 500, failed));
    const { http } = client(server.url, { retries: 0 });
    const error = await http.call(read()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamUnavailableError);
    const message = error instanceof Error ? error.message : '';
    expect(message).toBe('The approval system is unavailable (http_500).');
    expect(JSON.stringify(error)).not.toContain('127.0.0.1');
    expect(JSON.stringify(error)).not.toContain('secret');
  });
});
