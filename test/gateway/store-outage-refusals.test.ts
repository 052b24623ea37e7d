import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postRaw, type RawAnswer, sendRaw } from '../support/graphql-client.ts';
import type { TestGateway } from '../support/gateway.ts';
import {
  startGatewayOnProxiedDatabase,
  type GatewayOnProxiedDatabase,
} from '../support/gateway-on-proxied-database.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';

/**
 * During a store outage a refusal is answered like every other request: 503, Retry-After and
 * STORE_UNAVAILABLE, whether it is refused before GraphQL (its entry then cannot be written to
 * the store the log is in), by Apollo, or answered by GraphQL.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)('refusals during a PostgreSQL outage', () => {
  let setup: GatewayOnProxiedDatabase | undefined;
  let gw: TestGateway;
  let proxy: TcpProxy;

  beforeAll(async () => {
    setup = await startGatewayOnProxiedDatabase();
    ({ gw, proxy } = setup);
  }, 180_000);
  afterAll(() => setup?.close());

  const analyst = () => gw.as('county-analyst');
  let deep = 'uscc';
  for (let i = 0; i < 20; i += 1) deep = `permits { holder { ${deep} } }`;

  const refusals: Array<[string, () => Promise<RawAnswer>]> = [
    [
      'a document over the depth limit',
      async () => postRaw(gw.url, { query: `{ subject(uscc: "x") { ${deep} } }` }, await analyst()),
    ],
    [
      'a document over the token limit',
      async () => postRaw(gw.url, { query: `{ ${'__typename '.repeat(3_001)}}` }, await analyst()),
    ],
    [
      'a body that is not JSON',
      async () =>
        sendRaw(gw.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(await analyst()) },
          body: '{nope',
        }),
    ],
    ['a request without a token', () => postRaw(gw.url, { query: '{ __typename }' })],
    ['a batch', async () => postRaw(gw.url, [{ query: '{ __typename }' }], await analyst())],
  ];

  it(
    'answers each refusal as it answers a query: 503, Retry-After, STORE_UNAVAILABLE',
    { timeout: 60_000 },
    async () => {
      const query = async () =>
        postRaw(gw.url, { query: '{ subjects(first: 1) { nodes { uscc } } }' }, await analyst());
      expect((await query()).status).toBe(200);

      await proxy.refuse();
      try {
        const normal = await query();
        expect(normal.status, normal.text).toBe(503);
        const outage = (JSON.parse(normal.text) as { errors: unknown[] }).errors;
        expect(outage).toEqual([
          {
            message: "The gateway's store is unavailable; retry later.",
            extensions: { code: 'STORE_UNAVAILABLE', retryAfterSeconds: 2 },
          },
        ]);
        for (const [name, send] of refusals) {
          const answer = await send();
          expect(answer.status, `${name}: ${answer.text}`).toBe(503);
          expect(answer.retryAfter, name).toBe(normal.retryAfter);
          expect((JSON.parse(answer.text) as { errors: unknown[] }).errors, name).toEqual(outage);
        }
      } finally {
        await proxy.allow();
      }
    },
  );
});
