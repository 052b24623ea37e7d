import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * Requests refused before GraphQL sees them (the body too large, not JSON, not UTF-8, not JSON at
 * all, over the caller's rate) are accesses like any other: each is in the access log, with the
 * caller the token proved, before its answer leaves.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true, env: { RATE_LIMIT_PER_MINUTE: '40' } });
});
afterAll(() => gw?.close());

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  if (!entry) throw new Error('the access log is empty');
  return entry;
}

async function entryCount() {
  return gw.gateway.store.prisma.accessLogEntry.count();
}

async function postRaw(body: string, headers: Record<string, string>) {
  const response = await fetch(`${gw.url}/graphql`, { method: 'POST', headers, body });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

/** What every early refusal's entry says: the caller, no operation, no fields, the reason. */
const refusedBeforeGraphql = (reason: string) => ({
  callerSubject: expect.stringMatching(/.+/),
  issuer: expect.stringMatching(/.+/),
  outcome: 'ERROR',
  reason,
  operationName: null,
  queryHash: hashQuery('', null),
  deniedFields: [],
  subjects: [],
  clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
});

describe('requests refused before GraphQL, in the access log', () => {
  it('records a body over the size limit (413), answered as before', async () => {
    const before = await entryCount();
    const caller = await gw.as('county-analyst');
    const huge = JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(300_000) } });
    const response = await postRaw(huge, { 'content-type': 'application/json', ...caller });
    expect(response.status).toBe(413);
    expect(response.body).toEqual({
      errors: [{ message: 'The request body is larger than 256kb.', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
    expect(await entryCount()).toBe(before + 1);
    expect(await newestEntry()).toMatchObject(refusedBeforeGraphql('body_too_large'));
  });

  it('records a body that is not valid JSON (400)', async () => {
    const response = await postRaw('{nope', { 'content-type': 'application/json', ...(await gw.as('county-analyst')) });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(await newestEntry()).toMatchObject(refusedBeforeGraphql('malformed_json'));
  });

  it('records a body in a character set other than UTF-8 (415)', async () => {
    const response = await postRaw('{"query":"{ __typename }"}', {
      'content-type': 'application/json; charset=latin1',
      ...(await gw.as('county-analyst')),
    });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({
      errors: [{ message: 'The request body must be UTF-8 JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(await newestEntry()).toMatchObject(refusedBeforeGraphql('unsupported_encoding'));
  });

  it('records a body that is not JSON at all (415), instead of answering 500', async () => {
    const response = await postRaw('{ __typename }', {
      'content-type': 'text/plain',
      ...(await gw.as('county-analyst')),
    });
    expect(response.status).toBe(415);
    expect(response.body).toEqual({
      errors: [{ message: 'The request body must be UTF-8 JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(await newestEntry()).toMatchObject(refusedBeforeGraphql('unsupported_content_type'));
  });

  it('records a request over the caller’s rate (429), with Retry-After as before', async () => {
    const caller = await gw.as('permit-officer');
    let refused: Awaited<ReturnType<typeof postRaw>> | undefined;
    for (let i = 0; i < 41 && !refused; i++) {
      const response = await postRaw('{"query":"{ __typename }"}', { 'content-type': 'application/json', ...caller });
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(200);
    }
    expect(refused?.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused?.body['errors']).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED' }) }),
    ]);
    expect(await newestEntry()).toMatchObject(refusedBeforeGraphql('rate_limited'));
  });

  it('keeps the chain whole', async () => {
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true });
  });

  // Last: it leaves the log unwritable.
  it('answers 503 with Retry-After, not the refusal, when the refusal cannot be recorded', async () => {
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
    );
    const response = await postRaw('{nope', { 'content-type': 'application/json', ...(await gw.as('county-analyst')) });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.body['errors']).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'ACCESS_LOG_UNAVAILABLE' }) }),
    ]);
  });
});
