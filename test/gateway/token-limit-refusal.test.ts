import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { postRaw } from '../support/graphql-client.ts';

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
