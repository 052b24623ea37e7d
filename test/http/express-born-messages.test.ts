import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { expressBornMessages } from '../../src/http/express-born-messages.ts';

const running: Server[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** What a request and its response looked like before Express touched them, and what Express answered. */
async function firstSight(born: boolean) {
  const app = express();
  app.post('/echo', express.json(), (req, res) => {
    res.json({ got: (req.body as { value: unknown }).value, expressRequest: typeof req.get === 'function' });
  });
  const messages = expressBornMessages();
  const server = createServer(born ? messages.serverOptions : {});
  if (born) messages.bornInto(app);
  let seen: { requestHadExpressPrototype: boolean; responseHadExpressPrototype: boolean } | undefined;
  // Registered before the app: sees the messages as node:http made them.
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    seen = {
      requestHadExpressPrototype: Object.getPrototypeOf(req) === app.request,
      responseHadExpressPrototype: Object.getPrototypeOf(res) === app.response,
    };
    expect(req).toBeInstanceOf(IncomingMessage);
    expect(res).toBeInstanceOf(ServerResponse);
  });
  server.on('request', app);
  running.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/echo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ value: 42 }),
  });
  return { seen, status: response.status, body: (await response.json()) as unknown };
}

describe('requests born as Express makes them', () => {
  it('arrive with the prototypes Express would give them, so Express changes no prototype', async () => {
    const { seen } = await firstSight(true);
    expect(seen).toEqual({ requestHadExpressPrototype: true, responseHadExpressPrototype: true });
  });

  it('are otherwise served by Express as before', async () => {
    const born = await firstSight(true);
    const plain = await firstSight(false);
    expect(born.status).toBe(200);
    expect(born.body).toEqual({ got: 42, expressRequest: true });
    expect(born.body).toEqual(plain.body);
  });

  it('are served as plain node:http messages by a server made with them before any app was given', async () => {
    const messages = expressBornMessages();
    const server = createServer(messages.serverOptions, (req, res) => {
      res.setHeader('content-type', 'text/plain');
      res.end(req instanceof IncomingMessage && res instanceof ServerResponse ? 'node:http' : 'other');
    });
    running.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('node:http');
  });

  it('are plain node:http messages when the server is made without them', async () => {
    const { seen } = await firstSight(false);
    expect(seen).toEqual({ requestHadExpressPrototype: false, responseHadExpressPrototype: false });
  });
});
