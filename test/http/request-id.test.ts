import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, type Logger } from '../../src/platform/logger.ts';
import { createRequestIdMiddleware, requestIdOf, requestLogger } from '../../src/http/request-id.ts';
import { captureLogs } from './log-capture.ts';
import type { LogCapture } from './log-capture.ts';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const secretToken = 'Bearer eyJhbGciOiJSUzI1NiJ9.secret-payload.signature';

interface TestApp {
  baseUrl: string;
  logs: LogCapture;
  server: Server;
}

const running: Server[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function startApp(logger?: Logger): Promise<TestApp> {
  const logs = captureLogs();
  const app = express();
  app.use(createRequestIdMiddleware({ logger: logger ?? createLogger({ destination: logs.destination }) }));
  app.use(express.json());
  app.post('/echo', (req, res) => {
    requestLogger(req).info({ handled: true }, 'handler ran');
    res.json({ requestId: requestIdOf(req) });
  });
  app.get('/quiet', (req, res) => {
    res.json({ requestId: requestIdOf(req) });
  });
  app.get('/boom', () => {
    throw new Error('kaput');
  });
  app.get('/draining', (_req, res) => {
    res.status(503).set('retry-after', '5').json({ error: 'not_ready' });
  });
  app.get('/bare-503', (_req, res) => {
    res.status(503).json({ error: 'unavailable' });
  });
  const server = app.listen(0, '127.0.0.1');
  running.push(server);
  await once(server, 'listening');
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logs, server };
}

async function post(app: TestApp, headers: Record<string, string> = {}, path = '/echo') {
  const res = await fetch(`${app.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ idCardNumber: '110101199003077777' }),
  });
  const body = (await res.json()) as { requestId: string };
  return { res, body };
}

const COMPLETION_MESSAGES = ['request completed', 'request errored', 'request refused as unavailable'];

/** The completion line is written on 'finish', which can land just after the client has read the body. */
async function completionLine(logs: LogCapture): Promise<Record<string, unknown>> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const line = logs.lines().find((l) => COMPLETION_MESSAGES.includes(String(l.msg)));
    if (line) return line;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no completion line in logs:\n${logs.raw()}`);
}

describe('the request-id middleware', () => {
  it('keeps a sane inbound x-request-id and echoes it on the response', async () => {
    const app = await startApp();
    const { res, body } = await post(app, { 'x-request-id': 'agency-A.trace_42' });
    expect(res.headers.get('x-request-id')).toBe('agency-A.trace_42');
    expect(body.requestId).toBe('agency-A.trace_42');
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['containing spaces and markup', 'abc <script>'],
    ['containing a newline-like separator', 'abc;def'],
  ])('replaces an inbound id that is %s with a fresh UUID', async (_why, inbound) => {
    const app = await startApp();
    const { res, body } = await post(app, { 'x-request-id': inbound });
    expect(res.headers.get('x-request-id')).toMatch(uuidPattern);
    expect(body.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('makes up a UUID when the caller sends none, and a new one per request', async () => {
    const app = await startApp();
    const first = await post(app);
    const second = await post(app);
    expect(first.body.requestId).toMatch(uuidPattern);
    expect(second.body.requestId).toMatch(uuidPattern);
    expect(first.body.requestId).not.toBe(second.body.requestId);
  });

  it('binds the request id to every line logged through requestLogger and to the completion line', async () => {
    const app = await startApp();
    await post(app, { 'x-request-id': 'req-123' });
    const done = await completionLine(app.logs);
    const handlerLine = app.logs.lines().find((l) => l.msg === 'handler ran');
    expect(handlerLine).toMatchObject({ requestId: 'req-123', handled: true, level: 'info' });
    expect(done).toMatchObject({
      requestId: 'req-123',
      res: { statusCode: 200 },
      req: { method: 'POST', path: '/echo' },
    });
    expect(typeof done.durationMs).toBe('number');
    expect(typeof done.time).toBe('string');
  });

  it('never logs the Authorization header, cookies, the body or the query string', async () => {
    const app = await startApp();
    await post(app, { authorization: secretToken, cookie: 'session=abc123' }, '/echo?idCard=110101199003077777');
    await completionLine(app.logs);
    const raw = app.logs.raw();
    expect(raw).not.toContain('secret-payload');
    expect(raw).not.toContain('abc123');
    expect(raw).not.toContain('110101199003077777');
    expect(raw.toLowerCase()).not.toContain('authorization');
  });

  it('makes no child logger for a request that logs nothing but its completion line', async () => {
    const logs = captureLogs();
    const logger = createLogger({ destination: logs.destination });
    const child = vi.spyOn(logger, 'child');
    const app = await startApp(logger);
    const res = await fetch(`${app.baseUrl}/quiet`, { headers: { 'x-request-id': 'quiet-1' } });
    expect(res.status).toBe(200);
    const done = await completionLine(logs);
    expect(done).toMatchObject({
      requestId: 'quiet-1',
      res: { statusCode: 200 },
      req: { method: 'GET', path: '/quiet' },
    });
    expect(child).not.toHaveBeenCalled();
  });

  it('logs a failed request at error level with its id', async () => {
    const app = await startApp();
    const res = await fetch(`${app.baseUrl}/boom`, { headers: { 'x-request-id': 'boom-1' } });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('boom-1');
    const done = await completionLine(app.logs);
    expect(done).toMatchObject({ requestId: 'boom-1', level: 'error' });
  });

  it('logs a 503 that says when to retry as a warning, and one that does not as an error', async () => {
    const app = await startApp();
    await fetch(`${app.baseUrl}/draining`, { headers: { 'x-request-id': 'drain-1' } });
    expect(await completionLine(app.logs)).toMatchObject({
      requestId: 'drain-1',
      level: 'warn',
      msg: 'request refused as unavailable',
      retryAfter: '5',
    });
    const other = await startApp();
    await fetch(`${other.baseUrl}/bare-503`, { headers: { 'x-request-id': 'bare-1' } });
    expect(await completionLine(other.logs)).toMatchObject({ requestId: 'bare-1', level: 'error' });
  });
});

describe('createLogger', () => {
  it('writes nothing at the silent level', () => {
    const logs = captureLogs();
    createLogger({ level: 'silent', destination: logs.destination }).error('should not appear');
    expect(logs.raw()).toBe('');
  });

  it('writes one JSON object per line with the level name, and drops debug lines at the default level', () => {
    const logs = captureLogs();
    const logger = createLogger({ destination: logs.destination });
    logger.debug('hidden');
    logger.info({ agency: 'credit' }, 'visible');
    expect(logs.lines()).toEqual([expect.objectContaining({ level: 'info', msg: 'visible', agency: 'credit' })]);
  });

  it('redacts an Authorization header even when a caller logs raw headers by mistake', () => {
    const logs = captureLogs();
    createLogger({ destination: logs.destination }).info({ headers: { authorization: secretToken } }, 'oops');
    expect(logs.raw()).not.toContain('secret-payload');
  });
});
