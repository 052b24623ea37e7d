import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_DOCUMENTS_MANIFEST, canonicalDocument } from '../../src/http/trusted-documents.ts';
import { postRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { SignOutDocument } from '../../web/src/gql/graphql.ts';

const manifest = JSON.parse(readFileSync(CONSOLE_DOCUMENTS_MANIFEST, 'utf8')) as Record<string, string>;
const checkUscc = Object.values(manifest).find((text) => text.includes('query CheckUscc'));
if (checkUscc === undefined) throw new Error('the console has no CheckUscc operation; npm run generate:web');

describe('canonical documents', () => {
  it('ignore formatting, comments, __typename and the order of definitions, variables and fields', () => {
    const a = parse('query Q($x: Int, $y: Int) { a(x: $x, y: $y) { ...F } } fragment F on T { b c }');
    const b = parse(
      '# why\nfragment F on T { __typename c  b }\nquery Q($y: Int, $x: Int) {\n  a(x: $x, y: $y) { __typename ...F }\n}',
    );
    expect(canonicalDocument(b)).toBe(canonicalDocument(a));
  });

  it('tell apart documents that ask for different fields', () => {
    expect(canonicalDocument(parse('{ a { b } }'))).not.toBe(canonicalDocument(parse('{ a { b c } }')));
  });
});

describe('a gateway with TRUSTED_DOCUMENTS=console', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ authRequired: true, env: { TRUSTED_DOCUMENTS: 'console' } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('accepts a console operation from a browser, as Apollo Client sends it (with __typename)', async () => {
    const asSent = checkUscc.replace('problems', 'problems __typename');
    const answer = await gw.post<{ checkUscc: { valid: boolean } }>(
      asSent,
      { code: '91330381MA2G2YEE23' },
      {
        ...(await gw.as('county-analyst')),
        origin: gw.url,
      },
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data?.checkUscc.valid).toBe(true);
  });

  it("accepts the console's sign-out as its session code sends it (the document printed, not Apollo's)", async () => {
    const answer = await gw.post<{ revokeOwnToken: { outcome: string } }>(print(SignOutDocument), undefined, {
      ...(await gw.as('county-analyst')),
      origin: gw.url,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.data?.revokeOwnToken.outcome).toBe('REVOKED');
  });

  it('refuses any other document from a browser with 403 and the rule', async () => {
    const answer = await gw.post('{ subjects(first: 1) { nodes { uscc } } }', undefined, {
      ...(await gw.as('county-analyst')),
      origin: gw.url,
    });
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', rule: 'untrusted-document' });
  });

  it('runs no document a browser names by its hash only, even one a script has just sent in full', async () => {
    const query = '{ subjects(first: 1) { nodes { uscc } } }';
    const persistedQuery = { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') };
    const script = await postRaw(gw.url, { query, extensions: { persistedQuery } }, await gw.as('credit-platform'));

    const browser = await postRaw(
      gw.url,
      { extensions: { persistedQuery } },
      { ...(await gw.as('county-analyst')), origin: gw.url },
    );
    expect(JSON.parse(browser.text)).toEqual({
      errors: [{ message: 'PersistedQueryNotSupported', extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }],
    });
    expect(JSON.parse(script.text)).toMatchObject({
      errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_SUPPORTED' } }],
    });
  });

  it('leaves systems and scripts free to send any query the sharing rules allow', async () => {
    const answer = await gw.post<{ subjects: { nodes: unknown[] } }>(
      '{ subjects(first: 1) { nodes { uscc } } }',
      undefined,
      await gw.as('credit-platform'),
    );
    expect(answer.status).toBe(200);
    expect(answer.body.data?.subjects.nodes).toHaveLength(1);
  });
});
