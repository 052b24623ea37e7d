import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/platform/store/open-store.ts';
import { postRaw, type RawAnswer, sendRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/**
 * During a store outage a refusal is answered like every other request: 503, Retry-After and
 * STORE_UNAVAILABLE, whether it is refused before GraphQL (its entry then cannot be written to
 * the store the log is in), by Apollo, or answered by GraphQL.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)('refusals during a PostgreSQL outage', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let direct: Store;
  let proxy: TcpProxy;
  let gw: TestGateway;

  beforeAll(async () => {
    direct = await variant.open();
    const [database] = await direct.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
    const server = new URL(TEST_DATABASE_URL!);
    proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
    const through = new URL(TEST_DATABASE_URL!);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    through.pathname = `/${database!.name}`;
    gw = await startTestGateway({ authRequired: true, databaseUrl: through.toString() });
  }, 180_000);
  afterAll(async () => {
    await gw?.close();
    await proxy?.close();
    await variant.dispose();
  });

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
