import { afterEach, describe, expect, it } from 'vitest';
import { startRateLimitedApp, type RateLimitedApp } from '../support/rate-limited-app.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

const TEST_REDIS_URL = process.env['TEST_REDIS_URL'];

describe.runIf(TEST_REDIS_URL)('rate limits when the shared Redis misbehaves', () => {
  let proxy: TcpProxy | undefined;
  const apps: RateLimitedApp[] = [];
  afterEach(async () => {
    await proxy?.allow();
    for (const app of apps.splice(0)) await app.close();
    await proxy?.close();
  });

  /** A bare express app behind a limiter that shares one Redis with the case's other apps, through the test's proxy. */
  async function behindProxy(perMinute: number, redisRestMs?: number) {
    const target = new URL(TEST_REDIS_URL ?? '');
    proxy ??= await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    const app = await startRateLimitedApp({
      redisUrl: `redis://127.0.0.1:${proxy.port}`,
      perMinute,
      redisRestMs,
      readyWaitMs: 1000,
    });
    apps.push(app);
    return app;
  }

  it('answers promptly, counting in memory, while Redis accepts connections but answers nothing', async () => {
    const app = await behindProxy(2);
    const caller = `frozen-${Date.now()}-${Math.random()}`;
    proxy?.hang();
    const started = Date.now();
    const statuses = [await app.status(caller), await app.status(caller), await app.status(caller)];
    expect(statuses).toEqual([200, 200, 429]);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('waits for a silent Redis once, then counts in memory without asking it for a while', async () => {
    const app = await behindProxy(100, 60_000);
    proxy?.hang();
    const caller = `resting-${Date.now()}-${Math.random()}`;
    expect(await app.status(caller)).toBe(200);
    const started = Date.now();
    const statuses = [];
    for (let request = 0; request < 5; request++) statuses.push(await app.status(caller));
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    // Asking Redis each time, these five would have waited out its command timeout (500 ms) each.
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('counts failed authentications in memory, and refuses past the limit, while Redis answers nothing', async () => {
    const app = await behindProxy(2);
    proxy?.hang();
    const statuses = [await app.badToken(), await app.badToken(), await app.badToken()];
    expect(statuses).toEqual([401, 401, 429]);
  });

  it('shares the counts again once Redis comes back after being restarted', async () => {
    const [a, b] = [await behindProxy(3), await behindProxy(3)];
    await proxy?.refuse();
    expect(await a.status(`during-${Date.now()}`)).toBe(200);
    await proxy?.allow();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const caller = `after-${Date.now()}-${Math.random()}`;
    const statuses = [await a.status(caller), await b.status(caller), await a.status(caller), await b.status(caller)];
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('starts with Redis unreachable, counts in memory meanwhile, and shares once it is reachable', async () => {
    const target = new URL(TEST_REDIS_URL ?? '');
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
    await proxy.refuse();
    const [a, b] = [await behindProxy(3), await behindProxy(3)];
    const alone = `alone-${Date.now()}-${Math.random()}`;
    // Each instance alone: a caller gets its three at each of them, and is refused past them.
    expect([await a.status(alone), await a.status(alone), await a.status(alone), await a.status(alone)]).toEqual([
      200, 200, 200, 429,
    ]);
    expect(await b.status(alone)).toBe(200);
    await proxy.allow();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const caller = `shared-${Date.now()}-${Math.random()}`;
    expect([await a.status(caller), await b.status(caller), await a.status(caller), await b.status(caller)]).toEqual([
      200, 200, 200, 429,
    ]);
  });

  it('answers every request while its Redis connections are cut again and again mid-flow, then shares again', async () => {
    const [a, b] = [await behindProxy(3), await behindProxy(3)];
    const statuses = new Set<number>();
    for (let round = 0; round < 6; round++) {
      const requests = Array.from({ length: 10 }, (_, n) => (n % 2 ? a : b).status(`flow-${round}-${n}`));
      await proxy!.refuse();
      await proxy!.allow();
      for (const status of await Promise.all(requests)) statuses.add(status);
    }
    expect([...statuses]).toEqual([200]);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const caller = `after-cuts-${Date.now()}-${Math.random()}`;
    // The same two instances, no restart: a caller's four requests across them share one count of three.
    expect([await a.status(caller), await b.status(caller), await a.status(caller), await b.status(caller)]).toEqual([
      200, 200, 200, 429,
    ]);
  });
});
