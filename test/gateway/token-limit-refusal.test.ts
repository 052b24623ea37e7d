import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { postRaw, sendRaw } from '../support/graphql-client.ts';

/**
 * A document over the token limit is refused before it is parsed (src/http/token-limit.ts), with
 * the answer and the access-log entry Apollo and the access-log plugin gave it when it was parsed.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const PURPOSE = '瑞综执立〔2026〕88号';

const post = (body: unknown, headers: Record<string, string>) => postRaw(gw.url, body, headers);

const postText = (body: string, headers: Record<string, string>) =>
  sendRaw(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  return entry;
}

/**
 * `query Many # …` then, on the next line, 332 `checkUscc(code: "…") { valid }` (9 tokens each)
 * and `extra` `__typename`s: 4 + 2,988 + extra tokens, the closing brace the last.
 */
const documentOf = (extra: number) =>
  `query Many # the fields follow\n{ ${'checkUscc(code: "91330381MA2J4X5Y6Z") { valid } '.repeat(332)}${'__typename '.repeat(extra)}}`;

describe('a document over the token limit (3,000)', () => {
  it('is answered as graphql-js and Apollo answer it: status, media type, message and location, byte for byte', async () => {
    // 3,001 tokens: the closing brace is the first past the limit.
    const query = documentOf(9);
    const variables = { u: gw.world.enterprises[0]!.uscc };
    const response = await post({ query, variables, operationName: 'Many' }, await gw.as('county-analyst', PURPOSE));
    expect(response.status).toBe(400);
    expect(response.contentType).toBe('application/json; charset=utf-8');
    const column = query.length - query.indexOf('\n') - 1; // the closing brace, the 3,001st token
    expect(response.text).toBe(
      `{"errors":[{"message":"Syntax Error: Document contains more that 3000 tokens. Parsing aborted.","locations":[{"line":2,"column":${column}}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}\n`,
    );
    expect(await newestEntry()).toMatchObject({
      callerSubject: expect.stringMatching(/.+/),
      outcome: 'ERROR',
      reason: null,
      purpose: PURPOSE,
      operationName: 'Many',
      queryHash: hashQuery(query, variables),
      deniedFields: [],
      subjects: [],
    });
  });

  it('is still accepted at exactly the limit', async () => {
    const response = await post(
      { query: documentOf(8), variables: { u: gw.world.enterprises[0]!.uscc } },
      await gw.as('county-analyst', PURPOSE),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toMatchObject({ data: { __typename: 'Query', checkUscc: expect.any(Object) } });
  });
});

/**
 * A large body (over 128 KB) is checked in its bytes before it is parsed (src/http/token-limit-unparsed.ts):
 * the same answers and entries as the parsed path gives.
 */
describe('a large body whose document is over the token limit', () => {
  // 200 KB on one line, as the bench's attack: the 3,001st token is the 3,000th `__typename`.
  const query = `{ ${'__typename '.repeat(19_000)}}`;
  const column = 3 + 2999 * 11;

  it('is answered byte for byte as after parsing, with its access-log entry', async () => {
    const variables = { u: gw.world.enterprises[0]!.uscc };
    const response = await post({ operationName: 'Many', query, variables }, await gw.as('county-analyst', PURPOSE));
    expect(response.status).toBe(400);
    expect(response.contentType).toBe('application/json; charset=utf-8');
    expect(response.text).toBe(
      `{"errors":[{"message":"Syntax Error: Document contains more that 3000 tokens. Parsing aborted.","locations":[{"line":1,"column":${column}}],"extensions":{"code":"GRAPHQL_PARSE_FAILED"}}]}\n`,
    );
    expect(await newestEntry()).toMatchObject({
      outcome: 'ERROR',
      reason: null,
      purpose: PURPOSE,
      operationName: 'Many',
      queryHash: hashQuery(query, variables),
    });
  });

  it('is still refused as malformed JSON when its bytes after the limit are not JSON', async () => {
    const before = await newestEntry();
    const headers = await gw.as('county-analyst', PURPOSE);
    for (const body of [`{"query":"${query}"} x`, `{"query":"${query.slice(0, 150_000)}\t${query.slice(150_000)}"}`]) {
      const response = await postText(body, headers);
      expect(response.status).toBe(400);
      expect(JSON.parse(response.text)).toEqual({
        errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
    const entry = await newestEntry();
    expect(entry!.seq).toBe(before!.seq + 2n);
    expect(entry).toMatchObject({ reason: 'malformed_json' });
  });

  it('goes on to Apollo, parsed, when its purpose header is refused, as a small one does', async () => {
    const headers = { ...(await gw.as('county-analyst')), 'x-purpose': '%E0%A4%A' };
    const large = await post({ query }, headers);
    const small = await post({ query: documentOf(9) }, headers);
    expect(large.status).toBe(400);
    expect(large.text).toBe(small.text);
    expect(large.text).toContain('BAD_USER_INPUT');
  });

  // Last: it leaves the log unwritable.
  it('is answered 503 with Retry-After, not refused, when its entry cannot be written', async () => {
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
    );
    const response = await post({ query }, await gw.as('county-analyst', PURPOSE));
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toMatchObject({ errors: [{ extensions: { code: 'ACCESS_LOG_UNAVAILABLE' } }] });
  });
});
