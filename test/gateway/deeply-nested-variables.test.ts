import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * Variables nested thousands of levels deep fit well inside the body limit (`[[[…]]]` is two
 * bytes a level) and JSON.parse reads them, but a recursive serialisation of them overflows the
 * stack. Whatever the depth, the request is answered with a specific status, never a 500 or a
 * 503, and is in the access log exactly once, before its answer: with a valid token, without
 * one, and over the token limit.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const PURPOSE = '瑞综执立〔2026〕88号';
const entryCount = () => gw.gateway.store.prisma.accessLogEntry.count();
async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  if (!entry) throw new Error('the access log is empty');
  return entry;
}

/**
 * A request body whose variable `unused` is `[[[ … "x" … ]]]`, `levels` arrays deep: written as
 * text, since JSON.stringify itself overflows on it.
 */
const bodyWithNested = (query: string, levels: number): string =>
  `{"query":${JSON.stringify(query)},"variables":{"unused":${'['.repeat(levels)}"x"${']'.repeat(levels)}}}`;

const post = (body: string, headers: Record<string, string> = {}) =>
  sendRaw(gw.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe.each([3_000, 10_000, 100_000])('variables nested %i levels deep', (levels) => {
  it('are refused as nested too deep and recorded once for a caller with a valid token', async () => {
    const before = await entryCount();
    const answer = await post(
      bodyWithNested('query Q { checkUscc(code: "91330000MA27U8K39D") { valid } }', levels),
      await gw.as('county-analyst', PURPOSE),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(await entryCount()).toBe(before + 1);
    expect((await newestEntry()).reason).toBe('nested_too_deep');
  });

  it('are refused the same way in a GET', async () => {
    const before = await entryCount();
    const search = new URLSearchParams({
      query: '{ checkUscc(code: "91330000MA27U8K39D") { valid } }',
      variables: `{"unused":${'['.repeat(Math.min(levels, 1_500))}"x"${']'.repeat(Math.min(levels, 1_500))}}`,
    });
    const answer = await sendRaw(gw.url, {
      path: `/graphql?${search}`,
      headers: { ...(await gw.as('county-analyst', PURPOSE)), 'apollo-require-preflight': 'true' },
    });
    expect(answer.status).toBe(400);
    expect(await entryCount()).toBe(before + 1);
    expect((await newestEntry()).reason).toBe('nested_too_deep');
  });

  it('are refused and recorded once without a token', async () => {
    const before = await entryCount();
    const answer = await post(bodyWithNested('{ checkUscc(code: "91330000MA27U8K39D") { valid } }', levels));
    expect(answer.status).toBe(401);
    expect(await entryCount()).toBe(before + 1);
  });

  it('are refused and recorded once with a document over the token limit', async () => {
    const before = await entryCount();
    const answer = await post(
      bodyWithNested(`{ ${'__typename '.repeat(3_100)}}`, levels),
      await gw.as('county-analyst', PURPOSE),
    );
    expect(answer.status).toBe(400);
    expect(await entryCount()).toBe(before + 1);
  });
});

it('answers variables nested as deep as the limit as usual', async () => {
  const levels = 60;
  const answer = await post(
    bodyWithNested('query Q { checkUscc(code: "91330000MA27U8K39D") { valid } }', levels),
    await gw.as('county-analyst', PURPOSE),
  );
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.text).data.checkUscc).toHaveProperty('valid');
});
