import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyErrorHandler } from '../../src/http/body-errors.ts';
import { createRequestIdMiddleware } from '../../src/http/request-id.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { captureLogs, type LogCapture } from './log-capture.ts';

const running: Server[] = [];
afterEach(async () => {
  for (const server of running.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Express with the gateway's error handler behind a real JSON parser, whose `verify` hook may throw. */
async function startApp(verify?: () => void): Promise<{ url: string; logs: LogCapture }> {
  const logs = captureLogs();
  const app = express();
  app.use(createRequestIdMiddleware({ logger: createLogger({ destination: logs.destination }) }));
  app.post('/body', express.json(verify ? { verify } : {}), (_req, res) => void res.json({ read: true }));
  app.use(bodyErrorHandler());
  const server = app.listen(0, '127.0.0.1');
  running.push(server);
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/body`, logs };
}

describe('errors raised while a body is read', () => {
  it('answers a compressed body that does not decode 400, the client’s fault', async () => {
    const app = await startApp();
    const answer = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: 'not gzip at all',
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('answers a throw of the gateway’s own body check 500 and logs it, though the parser marks it 403', async () => {
    const app = await startApp(() => {
      throw new Error('a bug in a check of ours');
    });
    const answer = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(answer.status).toBe(500);
    expect(await answer.json()).toEqual({
      errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
    });
    expect(app.logs.lines()).toContainEqual(
      expect.objectContaining({ level: 'error', msg: 'unhandled error before GraphQL execution' }),
    );
  });

  it('answers a store that cannot be reached 503 with Retry-After, as a query in the same outage is', async () => {
    const app = await startApp(() => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const answer = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query":"{ __typename }"}',
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await answer.json()).toEqual({
      errors: [
        {
          message: "The gateway's store is unavailable; retry later.",
          extensions: { code: 'STORE_UNAVAILABLE' },
        },
      ],
    });
  });
});
