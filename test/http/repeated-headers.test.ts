import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/**
 * Posts a document with headers that may be repeated: an array value goes out as that many header
 * lines, which fetch cannot send (it joins them into one).
 */
function postWithHeaders(url: string, query: string, headers: Record<string, string | string[]>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = request(`${url}/graphql`, { method: 'POST' }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Answer['body'] }));
    });
    sent.on('error', reject);
    sent.setHeader('content-type', 'application/json');
    for (const [name, value] of Object.entries(headers)) sent.setHeader(name, value);
    sent.end(JSON.stringify({ query }));
  });
}

let gw: TestGateway;
let authorization: string;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
  ({ authorization } = (await gw.as('county-enforcement')) as { authorization: string });
});
afterAll(() => gw?.close());

async function lastAccessLogEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  return entry;
}

async function lastAccessLogReason(): Promise<string | null | undefined> {
  return (await lastAccessLogEntry())?.reason;
}

describe('a header the gateway reads as one value, sent more than once', () => {
  it('refuses two x-purpose headers 400 purpose_repeated, rather than one matter "a, b"', async () => {
    const answer = await postWithHeaders(gw.url, '{ __typename }', {
      authorization,
      'x-purpose': ['M-1', 'M-2'],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'purpose_repeated',
      source: 'x-purpose header',
    });
    expect(answer.body.errors?.[0]?.message).toContain('2');
    expect(await lastAccessLogReason()).toBe('purpose_repeated');
  });

  it('refuses them alike when the document is refused before it runs (over the token limit)', async () => {
    const answer = await postWithHeaders(gw.url, `{ ${'__typename '.repeat(3100)}}`, {
      authorization,
      'x-purpose': ['M-1', 'M-1'],
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'purpose_repeated' });
  });

  it('reads one x-purpose header holding a comma as the one matter it names', async () => {
    const answer = await postWithHeaders(gw.url, '{ __typename }', { authorization, 'x-purpose': 'M-1, M-2' });
    expect(answer.status).toBe(200);
    expect(answer.body.errors).toBeUndefined();
    expect((await lastAccessLogEntry())?.purpose).toBe('M-1, M-2');
  });

  it('refuses two Authorization headers 401 authorization_repeated, even when both carry the same good token', async () => {
    const answer = await postWithHeaders(gw.url, '{ __typename }', { authorization: [authorization, authorization] });
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'authorization_repeated' });
    expect(await lastAccessLogReason()).toBe('authorization_repeated');
  });
});

/** 2000 short headers of no meaning: Node's default `maxHeadersCount`, well within the 16 KB header limit. */
const filler = () => Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`x-f${i}`, 'a']));

describe('a header sent after 2000 others', () => {
  // Node hands a request only its first 2000 headers by default and drops the rest without a word.
  it('is still read: a second x-purpose is refused purpose_repeated, not dropped', async () => {
    const answer = await postWithHeaders(gw.url, '{ __typename }', {
      authorization,
      'x-purpose': 'M-1',
      ...filler(),
      'x-purpose-2': 'x',
    });
    expect(answer.status).toBe(200);
    const late = await postWithHeaders(gw.url, '{ __typename }', {
      authorization,
      ...filler(),
      'x-purpose': ['M-1', 'M-2'],
    });
    expect(late.status).toBe(400);
    expect(late.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'purpose_repeated' });
    expect(await lastAccessLogReason()).toBe('purpose_repeated');
  });

  it('is still read: a second Authorization is refused authorization_repeated, not dropped', async () => {
    const answer = await postWithHeaders(gw.url, '{ __typename }', {
      authorization,
      ...filler(),
      'x-late': 'x',
    });
    expect(answer.status).toBe(200);
    const late = await postWithHeaders(gw.url, '{ __typename }', {
      ...filler(),
      authorization: [authorization, 'Bearer x'],
    });
    expect(late.status).toBe(401);
    expect(late.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'authorization_repeated' });
  });
});
