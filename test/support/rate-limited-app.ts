import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { createRateLimiter } from '../../src/http/rate-limit.ts';

export interface RateLimitedAppOptions {
  /** Requests, and failed authentications, allowed per caller a minute. */
  perMinute: number;
  /** The Redis the limits are shared through; none counts in memory. */
  redisUrl: string | undefined;
  /** How long the limiter counts in memory, without asking Redis, after Redis failed a command. */
  redisRestMs?: number;
  /** How long the start waits for Redis to answer. */
  readyWaitMs: number;
}

export interface RateLimitedApp {
  /** The HTTP status of one request by `caller` (the `x-caller` header). */
  status(caller: string): Promise<number>;
  /** The HTTP status of one request with a bad token: 401, or 429 once over the limit. */
  badToken(): Promise<number>;
  close(): Promise<void>;
}

/**
 * A bare express app behind the gateway's rate limiter, keyed by a header, over real HTTP: `/`
 * answers ok while the caller is under the limit, `/bad-token` answers 401 until the address is over it.
 */
export async function startRateLimitedApp(options: RateLimitedAppOptions): Promise<RateLimitedApp> {
  const { perMinute, redisUrl, redisRestMs } = options;
  const limiter = createRateLimiter(
    { perMinute, redisUrl, authFailuresPerMinute: perMinute, redisRestMs },
    (req) => String(req.headers['x-caller']),
    pino({ level: 'silent' }),
  );
  await limiter.ready(options.readyWaitMs);
  const app = express();
  // A failed authentication, as the authenticator counts it: refused once the address is over its limit.
  app.get('/bad-token', async (req, res) => {
    if (await limiter.failedAuthentications.refuseIfOver(req, res)) return;
    await limiter.failedAuthentications.count(req);
    res.status(401).send('bad token');
  });
  app.use(limiter.middleware);
  app.get('/', (_req, res) => res.send('ok'));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    status: async (caller) =>
      (await fetch(url, { headers: { 'x-caller': caller }, signal: AbortSignal.timeout(4000) })).status,
    badToken: async () => (await fetch(`${url}bad-token`, { signal: AbortSignal.timeout(4000) })).status,
    async close() {
      await limiter.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
