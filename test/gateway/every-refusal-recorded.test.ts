import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { postRaw, type RawAnswer, sendRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * Every way /graphql refuses a request is an access like any other: each refusal is in the access
 * log, once, with its reason, before its answer leaves — the ones refused before GraphQL (the
 * body, the rate, the token), the documents over a limit, Apollo's own refusals of an HTTP request
 * (a batch, CSRF prevention, a GET mutation, a missing query, a wrong method), a refused purpose
 * and the trusted-documents 403 — and its answer is what it was before the access log saw it.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    authRequired: true,
    env: { RATE_LIMIT_PER_MINUTE: '60', TRUSTED_DOCUMENTS: 'console' },
  });
});
afterAll(() => gw?.close());

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  if (!entry) throw new Error('the access log is empty');
  return entry;
}

const entryCount = () => gw.gateway.store.prisma.accessLogEntry.count();
const analyst = () => gw.as('county-analyst');
const json = { 'content-type': 'application/json' };
/** Apollo's CSRF prevention lets a GET through with this header (a browser cannot send it without a preflight). */
const preflighted = { 'apollo-require-preflight': 'true' };
const get = async (search: string, headers: Record<string, string>) =>
  sendRaw(gw.url, { path: `/graphql?${new URLSearchParams(search)}`, headers });

/** `permits { holder { … uscc } }`, `pairs` pairs deep. */
const chain = (pairs: number) => {
  let selection = 'uscc';
  for (let i = 0; i < pairs; i += 1) selection = `permits { holder { ${selection} } }`;
  return selection;
};

interface Refusal {
  name: string;
  send: () => Promise<RawAnswer>;
  status: number;
  /** `extensions.code` of the answer's one error, where it has a GraphQL body. */
  code?: string;
  /** The first error's message, where the answer is fixed by Apollo or the gateway. */
  message?: string | RegExp;
  reason: string | null;
  outcome?: string;
  /** The caller the token proved is in the entry (not for a 401). */
  caller?: boolean;
  /** The operation's hash in the entry, where the request carried one. */
  queryHash?: string;
}

const refusals: Refusal[] = [
  {
    name: 'a body over the size limit',
    send: async () =>
      postRaw(gw.url, { query: '{ __typename }', variables: { pad: 'x'.repeat(300_000) } }, await analyst()),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: 'The request body is larger than 256kb.',
    reason: 'body_too_large',
  },
  {
    name: 'a body that is not valid JSON',
    send: async () => sendRaw(gw.url, { method: 'POST', headers: { ...json, ...(await analyst()) }, body: '{nope' }),
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The request body is not valid JSON.',
    reason: 'malformed_json',
  },
  {
    name: 'a body in a character set other than UTF-8',
    send: async () =>
      sendRaw(gw.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=latin1', ...(await analyst()) },
        body: '{"query":"{ __typename }"}',
      }),
    status: 415,
    code: 'BAD_REQUEST',
    message: 'The request body must be UTF-8 JSON.',
    reason: 'unsupported_encoding',
  },
  {
    name: 'a compressed body that does not decompress',
    send: async () =>
      sendRaw(gw.url, {
        method: 'POST',
        headers: { ...json, 'content-encoding': 'gzip', ...(await analyst()) },
        body: '{"query":"{ __typename }"}',
      }),
    status: 400,
    code: 'BAD_REQUEST',
    message:
      'The request body cannot be read: its Content-Encoding does not decode, or its length is not the one declared.',
    reason: 'unreadable_body',
  },
  {
    name: 'a body that is not JSON at all',
    send: async () =>
      sendRaw(gw.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', ...(await analyst()) },
        body: '{ __typename }',
      }),
    status: 415,
    code: 'BAD_REQUEST',
    message: 'The request body must be UTF-8 JSON.',
    reason: 'unsupported_content_type',
  },
  {
    name: 'a request without a token',
    send: () => postRaw(gw.url, { query: '{ __typename }' }),
    status: 401,
    code: 'UNAUTHENTICATED',
    reason: 'missing_token',
    outcome: 'UNAUTHENTICATED',
    caller: false,
    queryHash: hashQuery('{ __typename }', null),
  },
  {
    name: 'a request over the caller’s rate (after 60 answered)',
    send: async () => postRaw(gw.url, { query: '{ __typename }' }, await gw.as('permit-officer')),
    status: 429,
    code: 'RATE_LIMITED',
    reason: 'rate_limited',
  },
  {
    name: 'a document over the token limit',
    send: async () => postRaw(gw.url, { query: `{ ${'__typename '.repeat(3_001)}}` }, await analyst()),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
    message: /^Syntax Error: Document contains more that 3000 tokens/,
    reason: null,
  },
  {
    name: 'a document over the depth limit',
    send: async () => postRaw(gw.url, { query: `{ subject(uscc: "x") { ${chain(20)} } }` }, await analyst()),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
    message: 'Query depth limit of 12 exceeded, found 42.',
    reason: null,
  },
  {
    name: 'a batch of operations (batching is off)',
    send: async () => postRaw(gw.url, [{ query: '{ __typename }' }], await analyst()),
    status: 400,
    code: 'BAD_REQUEST',
    message: 'Operation batching disabled.',
    reason: 'batched_request',
  },
  {
    name: 'a GET that CSRF prevention blocks',
    send: async () => get('query={ __typename }', await analyst()),
    status: 400,
    code: 'BAD_REQUEST',
    message: /^This operation has been blocked as a potential Cross-Site Request Forgery/,
    reason: 'csrf_prevention',
    queryHash: hashQuery('{ __typename }', null),
  },
  {
    name: 'a mutation over GET',
    send: async () =>
      get('query=mutation { revokeGrant(id: "g", reason: "r") { __typename } }', {
        ...preflighted,
        ...(await analyst()),
      }),
    status: 405,
    code: 'BAD_REQUEST',
    message: 'GET requests only support query operations, not mutation operations',
    reason: 'mutation_over_get',
  },
  {
    name: 'a POST whose body has no keys',
    send: async () => postRaw(gw.url, {}, await analyst()),
    status: 400,
    code: 'BAD_REQUEST',
    message: 'POST body missing, invalid Content-Type, or JSON object has no keys.',
    reason: 'missing_query',
  },
  {
    name: 'a POST without a query',
    send: async () => postRaw(gw.url, { variables: {} }, await analyst()),
    status: 400,
    code: 'BAD_REQUEST',
    message: /^GraphQL operations must contain a non-empty `query`/,
    reason: 'missing_query',
  },
  {
    name: 'a GET whose variables are not JSON',
    send: async () => get('query={ __typename }&variables={nope', { ...preflighted, ...(await analyst()) }),
    status: 400,
    code: 'BAD_REQUEST',
    message: 'The variables search parameter contains invalid JSON.',
    reason: 'malformed_request',
  },
  {
    name: 'a method other than GET and POST',
    send: async () =>
      sendRaw(gw.url, {
        method: 'PUT',
        headers: { ...json, ...(await analyst()) },
        body: '{"query":"{ __typename }"}',
      }),
    status: 405,
    code: 'BAD_REQUEST',
    message: '/graphql answers GET and POST only, not PUT.',
    reason: 'method_not_allowed',
  },
  {
    name: 'an OPTIONS request',
    send: async () => sendRaw(gw.url, { method: 'OPTIONS', headers: { ...json, ...(await analyst()) } }),
    status: 405,
    code: 'BAD_REQUEST',
    message: '/graphql answers GET and POST only, not OPTIONS.',
    reason: 'method_not_allowed',
  },
  {
    // Without a content type Apollo's CSRF prevention answered first, blaming a forgery for a wrong method.
    name: 'a DELETE without a content type',
    send: async () => sendRaw(gw.url, { method: 'DELETE', headers: await analyst() }),
    status: 405,
    code: 'BAD_REQUEST',
    message: '/graphql answers GET and POST only, not DELETE.',
    reason: 'method_not_allowed',
  },
  {
    // Apollo negotiated it only after running the operation, and the entry said OK.
    name: 'an Accept header that admits no JSON answer',
    send: async () => postRaw(gw.url, { query: '{ __typename }' }, { ...(await analyst()), accept: 'application/xml' }),
    status: 406,
    code: 'BAD_REQUEST',
    message: /^An 'accept' header was provided for this request which does not accept application\/json/,
    reason: 'not_acceptable',
  },
  {
    name: 'a purpose that is no matter reference',
    send: async () => postRaw(gw.url, { query: '{ __typename }' }, { ...(await analyst()), 'x-purpose': ' ' }),
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'purpose_blank',
  },
  {
    // Refused before it runs with a reason of its own, which the entry once left out (reason null).
    name: 'a string argument holding a NUL (input hygiene)',
    send: async () =>
      postRaw(
        gw.url,
        { query: 'query ($code: String!) { checkUscc(code: $code) { valid } }', variables: { code: 'a\u0000b' } },
        await analyst(),
      ),
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'control_character',
  },
  {
    name: 'a list argument of over 500 items (input hygiene)',
    send: async () =>
      postRaw(
        gw.url,
        {
          query: 'mutation ($ids: [ID!]!) { replayDeadLetters(ids: $ids) { __typename } }',
          variables: { ids: Array.from({ length: 501 }, (_, i) => `d${i}`) },
        },
        await analyst(),
      ),
    status: 400,
    code: 'BAD_USER_INPUT',
    reason: 'too_many_items',
  },
  {
    name: 'a document from a browser that is not one of the console’s (TRUSTED_DOCUMENTS=console)',
    send: async () =>
      postRaw(gw.url, { query: '{ subjects(first: 1) { nodes { uscc } } }' }, { ...(await analyst()), origin: gw.url }),
    status: 403,
    code: 'FORBIDDEN',
    reason: 'untrusted-document',
    queryHash: hashQuery('{ subjects(first: 1) { nodes { uscc } } }', null),
  },
];

describe('every refusal on /graphql, in the access log before its answer', () => {
  beforeAll(async () => {
    // The rate-limit refusal's caller has used up its minute.
    const officer = await gw.as('permit-officer');
    for (let i = 0; i < 60; i += 1)
      expect((await postRaw(gw.url, { query: '{ __typename }' }, officer)).status).toBe(200);
  });

  it.each(refusals)('$name: answered $status, one entry with its reason', async (refusal) => {
    const before = await entryCount();
    const answer = await refusal.send();
    expect(answer.status, answer.text).toBe(refusal.status);
    if (refusal.code !== undefined) {
      const [error] = (JSON.parse(answer.text) as { errors: Array<{ message: string; extensions: { code: string } }> })
        .errors;
      expect(error?.extensions.code).toBe(refusal.code);
      if (refusal.message !== undefined) expect(error?.message).toMatch(refusal.message);
    }
    expect(await entryCount()).toBe(before + 1);
    expect(await newestEntry()).toMatchObject({
      outcome: refusal.outcome ?? 'ERROR',
      reason: refusal.reason,
      callerSubject: refusal.caller === false ? '' : expect.stringMatching(/.+/),
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
      subjects: [],
      ...(refusal.queryHash ? { queryHash: refusal.queryHash } : {}),
    });
  });

  it('keeps the chain whole', async () => {
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true });
  });

  // Last: the log refuses every entry from here on.
  it('answers each 503 with Retry-After instead, when its entry cannot be written', async () => {
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
    );
    for (const refusal of refusals) {
      const answer = await refusal.send();
      expect(answer.status, `${refusal.name}: ${answer.text}`).toBe(503);
      expect(Number(answer.retryAfter), refusal.name).toBeGreaterThanOrEqual(1);
      expect((JSON.parse(answer.text) as { errors: unknown }).errors, refusal.name).toEqual([
        {
          message: 'The access log cannot be written, so no answer is given; retry later.',
          extensions: { code: 'ACCESS_LOG_UNAVAILABLE', retryAfterSeconds: expect.any(Number) },
        },
      ]);
    }
  });
});
