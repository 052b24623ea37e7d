import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Client } from 'undici';
import { describe, expect, it } from 'vitest';
import { createHealthRouter } from '../../src/http/health-routes.ts';
import { createHttpDrain } from '../../src/http/http-drain.ts';

/** A server with a drain, a health router that follows it, and a route answering when the test says so. */
async function drainedServer() {
  const server = createServer();
  const drain = createHttpDrain(server);
  const releases: Array<() => void> = [];
  const app = express();
  app.use(createHealthRouter({ checks: {}, stopping: drain.draining }));
  app.get('/slow', (_req, res) => void releases.push(() => res.send('slow done')));
  app.get('/fast', (_req, res) => res.send('fast'));
  server.on('request', app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    server,
    drain,
    origin,
    release: () => releases.splice(0).forEach((release) => release()),
    waiting: () => releases.length,
  };
}

async function get(client: Client, path: string) {
  const response = await client.request({ method: 'GET', path });
  return { status: response.statusCode, connection: response.headers['connection'], body: await response.body.text() };
}

describe('draining the HTTP server', () => {
  it('fails readiness, closes keep-alive connections after their next answer, answers requests in flight, then closes', async () => {
    const { server, drain, origin, release, waiting } = await drainedServer();
    const idle = new Client(origin, { keepAliveTimeout: 60_000 });
    const busy = new Client(origin);
    try {
      expect(await get(idle, '/readyz')).toMatchObject({ status: 200, connection: 'keep-alive' });
      const slow = get(busy, '/slow');
      while (waiting() === 0) await new Promise((resolve) => setTimeout(resolve, 10));

      const drained = drain.drain(30_000);
      expect(drain.draining()).toBe(true);
      expect(await get(idle, '/readyz')).toMatchObject({
        status: 503,
        connection: 'close',
        body: '{"status":"stopping","checks":{}}',
      });
      release();
      // The response began before draining still closes its connection.
      expect(await slow).toEqual({ status: 200, connection: 'close', body: 'slow done' });
      await drained;
      expect(server.listening).toBe(false);
    } finally {
      await Promise.all([idle.close(), busy.close()]);
    }
  });
});
