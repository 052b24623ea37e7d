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

/** Far beyond the store's timeouts below: a request still open by then is one that hangs. */
const HANGING = 20_000;

describe.runIf(TEST_DATABASE_URL !== undefined)('a PostgreSQL server that stops answering', () => {
  let setup: GatewayOnProxiedDatabase | undefined;
  let gw: TestGateway;
  let proxy: TcpProxy;
  let direct: Store;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase({
      env: { DATABASE_CONNECT_TIMEOUT_MS: '1000', DATABASE_QUERY_TIMEOUT_MS: '2000' },
    });
    ({ gw, proxy, direct } = setup);
  }, 180_000);
  afterAll(() => setup?.close());

  async function subjectName(signal?: AbortSignal): Promise<Response> {
    return fetch(`${gw.url}/graphql`, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', ...(await gw.as('county-analyst')) },
      body: JSON.stringify({
        query: 'query ($u: USCC!) { subject(uscc: $u) { name } }',
        variables: { u: gw.world.enterprises[0]!.uscc },
      }),
    });
  }

  it(
    'refuses requests with 503 and Retry-After instead of holding them, and answers again once it does',
    { timeout: 120_000 },
    async () => {
      expect((await subjectName()).status).toBe(200);

      proxy.hang();
      // Idle pooled connections and new ones alike now wait forever for a byte.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const response = await subjectName(AbortSignal.timeout(HANGING));
        const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
        expect(response.status, JSON.stringify(body)).toBe(503);
        expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
        expect(['STORE_UNAVAILABLE', 'ACCESS_LOG_UNAVAILABLE']).toContain(body.errors?.[0]?.extensions?.code);
      }
      const ready = await fetch(`${gw.url}/readyz`, { signal: AbortSignal.timeout(HANGING) });
      expect(ready.status).toBe(503);

      await proxy.allow();
      await vi.waitFor(async () => expect((await subjectName()).status).toBe(200), { timeout: 15_000, interval: 250 });
      expect((await verifyChain(direct.prisma)).ok).toBe(true);
    },
  );
});
