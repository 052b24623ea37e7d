import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { startRateLimitedApp } from '../support/rate-limited-app.ts';

/** CI sets it; locally the shared-counter cases run only when a Redis URL is given. */
const TEST_REDIS_URL = process.env['TEST_REDIS_URL'];

describe('per-caller rate limits on the gateway', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true, env: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(() => gw?.close());

  it("counts down each caller's remaining requests, then refuses with 429, Retry-After and RATE_LIMITED", async () => {
    const analyst = await gw.as('county-analyst');
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await gw.post('{ __typename }', undefined, analyst);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await gw.post('{ __typename }', undefined, analyst);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body.data).toBeUndefined();
  });

  it("keeps other callers' allowance separate", async () => {
    const response = await gw.post('{ __typename }', undefined, await gw.as('permit-officer'));
    expect(response.status).toBe(200);
  });

  it('does not count requests refused for a bad token', async () => {
    const bad = await gw.post('{ __typename }', undefined, { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('ratelimit-remaining')).toBeNull();
  });
});

/** A bare express app behind the limiter; it waits half a second at most for Redis to answer. */
function limitedApp(redisUrl: string | undefined, perMinute: number) {
  return startRateLimitedApp({ redisUrl, perMinute, readyWaitMs: 500 });
}

describe.runIf(TEST_REDIS_URL)('rate limits shared through Redis', () => {
  it('counts one caller across two gateway instances together', async () => {
    const [a, b] = [await limitedApp(TEST_REDIS_URL, 3), await limitedApp(TEST_REDIS_URL, 3)];
    try {
      const caller = `caller-${Date.now()}-${Math.random()}`;
      const statuses = [await a.status(caller), await b.status(caller), await a.status(caller), await b.status(caller)];
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('rate limits when Redis is unreachable', () => {
  it('still limits, counting in memory', async () => {
    const app = await limitedApp('redis://127.0.0.1:1', 2);
    try {
      const statuses = [await app.status('x'), await app.status('x'), await app.status('x')];
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });
});
