import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import type { TestGateway } from '../support/gateway.ts';
import {
  startGatewayOnProxiedDatabase,
  type GatewayOnProxiedDatabase,
} from '../support/gateway-on-proxied-database.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

/** The request path's default bound on one store statement (DATABASE_QUERY_TIMEOUT_MS). */
const REQUEST_BOUND_MS = 5_000;
/** What the gateway may add to the bound: the failed statement's 503 still has to be composed and sent. */
const SLACK_MS = 1_500;
/** Once the store is known to be down, a request is refused without waiting for it. */
const REFUSED_AT_ONCE_MS = 1_000;
/** Far beyond the old 30 s default, so a request held that long is measured, not cut short. */
const HANGING = 70_000;

/**
 * The gateway with its default timeouts, behind a proxy that stops passing bytes: a frozen
 * server or a network black hole, which (unlike a refused connection) nothing reports.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)('a PostgreSQL server that stops answering, default settings', () => {
  let setup: GatewayOnProxiedDatabase | undefined;
  let gw: TestGateway;
  let proxy: TcpProxy;
  let direct: Store;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase();
    ({ gw, proxy, direct } = setup);
  }, 180_000);
  afterAll(() => setup?.close());

  async function subjectName(index = 0): Promise<Response> {
    return fetch(`${gw.url}/graphql`, {
      method: 'POST',
      signal: AbortSignal.timeout(HANGING),
      headers: { 'content-type': 'application/json', ...(await gw.as('county-analyst')) },
      body: JSON.stringify({
        query: 'query ($u: USCC!) { subject(uscc: $u) { name } }',
        variables: { u: gw.world.enterprises[index]!.uscc },
      }),
    });
  }

  /** The answer's status, Retry-After and error code, and how long it took. */
  async function timed(index: number) {
    const started = performance.now();
    const response = await subjectName(index);
    const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
    return {
      ms: performance.now() - started,
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      code: body.errors?.[0]?.extensions?.code,
      body: JSON.stringify(body),
    };
  }

  async function accessLogEntries(): Promise<number> {
    return direct.prisma.accessLogEntry.count();
  }

  it(
    'refuses the first request within the request bound, the next ones at once, and serves again once the server answers',
    { timeout: 180_000 },
    async () => {
      // Warm: the caller's token, its grants and a pooled connection, as in service.
      expect((await subjectName()).status).toBe(200);

      proxy.hang();
      const first = await timed(1);
      console.info(`first 503 after ${Math.round(first.ms)} ms`);
      expect(first.status, first.body).toBe(503);
      expect(first.retryAfter).toMatch(/^[1-9]\d*$/);
      expect(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']).toContain(first.code);
      expect(first.ms).toBeLessThan(REQUEST_BOUND_MS + SLACK_MS);
      // The probe run on that failure hangs too, and is given up on within a second: then the store is down.
      await new Promise((resolve) => setTimeout(resolve, REQUEST_BOUND_MS + SLACK_MS));

      for (const index of [2, 3, 4]) {
        const next = await timed(index);
        expect(next.status, next.body).toBe(503);
        expect(next.retryAfter).toMatch(/^[1-9]\d*$/);
        expect(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']).toContain(next.code);
        expect(next.ms).toBeLessThan(REFUSED_AT_ONCE_MS);
      }
      const readyStarted = performance.now();
      const ready = await fetch(`${gw.url}/readyz`, { signal: AbortSignal.timeout(HANGING) });
      expect(ready.status).toBe(503);
      expect(performance.now() - readyStarted).toBeLessThan(REQUEST_BOUND_MS + SLACK_MS);

      await proxy.allow();
      const resumed = performance.now();
      await vi.waitFor(async () => expect((await subjectName()).status).toBe(200), { timeout: 15_000, interval: 250 });
      console.info(`answering again ${Math.round(performance.now() - resumed)} ms after the server did`);

      // Every answer from now on has its entry, chained onto the log as it stood before the outage.
      const before = await accessLogEntries();
      for (const index of [5, 6, 7]) expect((await subjectName(index)).status).toBe(200);
      expect(await accessLogEntries()).toBe(before + 3);
      const verdict = await verifyChain(direct.prisma);
      expect(verdict).toMatchObject({ ok: true, entries: before + 3 });
    },
  );

  it(
    'keeps the access log one unbroken chain when the server resumes the statements it held',
    { timeout: 120_000 },
    async () => {
      expect((await subjectName()).status).toBe(200);
      proxy.hang();
      const refused = await timed(1);
      expect(refused.status, refused.body).toBe(503);
      expect(refused.ms).toBeLessThan(REQUEST_BOUND_MS + SLACK_MS);

      // Unlike a cut connection, a thawed one delivers late whatever was sent while it hung.
      proxy.thaw();
      await vi.waitFor(async () => expect((await subjectName()).status).toBe(200), { timeout: 15_000, interval: 250 });
      const before = await accessLogEntries();
      for (const index of [2, 3, 4]) expect((await subjectName(index)).status).toBe(200);
      expect(await accessLogEntries()).toBe(before + 3);
      expect(await verifyChain(direct.prisma)).toMatchObject({ ok: true, entries: before + 3 });
    },
  );
});
