import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DIST_DIR } from '../../src/http/console-routes.ts';
import { ERROR_CODES } from '../../src/errors/index.ts';
import { postRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * The error catalogue gives each code the HTTP status its answers come with, and the README's
 * table is written from it: these answers are the ones it describes, so a status that drifts from
 * the catalogue fails here rather than in a client that trusted the table.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

describe('the HTTP status each answer comes with, as the error catalogue says', () => {
  it('answers a page size refused while the query runs 200, as a field error', async () => {
    const answer = await gw.post(
      '{ subjects(first: 101) { nodes { uscc } } }',
      undefined,
      await gw.as('county-analyst'),
    );
    expect(answer.status).toBe(200);
    // subjects cannot be null, so its error leaves no data at all.
    expect(answer.body.data).toBeNull();
    expect(answer.body.errors).toMatchObject([
      { path: ['subjects'], extensions: { code: 'BAD_USER_INPUT', argument: 'first', reason: 'page_size' } },
    ]);
  });

  it('answers variables that cannot be right 400 BAD_USER_INPUT, before anything runs', async () => {
    const answer = await gw.post(
      'query Page($first: Int) { subjects(first: $first) { nodes { uscc } } }',
      { first: 'twenty' },
      await gw.as('county-analyst'),
    );
    expect(answer.status).toBe(ERROR_CODES.BAD_USER_INPUT.status);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors).toMatchObject([{ extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('answers a document named by its hash alone with the status listed for PERSISTED_QUERY_NOT_SUPPORTED', async () => {
    const answer = await postRaw(
      gw.url,
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      await gw.as('county-analyst'),
    );
    expect(answer.status).toBe(ERROR_CODES.PERSISTED_QUERY_NOT_SUPPORTED.status);
    expect(JSON.parse(answer.text)).toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }],
    });
  });

  it.each([
    ['RANGE_NOT_SATISFIABLE', { range: 'bytes=999999999-' }],
    ['PRECONDITION_FAILED', { 'if-match': '"not-its-etag"' }],
  ] as const)('answers a console file refused as %s with the status listed for it', async (code, headers) => {
    const assets = join(CONSOLE_DIST_DIR, 'assets');
    const file = readdirSync(assets).find((name) => name.endsWith('.js'));
    const answer = await fetch(`${gw.url}/assets/${file}`, { headers });
    expect(answer.status).toBe(ERROR_CODES[code].status);
    expect(await answer.json()).toMatchObject({ errors: [{ extensions: { code } }] });
  });
});
