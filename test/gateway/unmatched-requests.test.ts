import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEBHOOK_JWKS_PATH } from '../../src/modules/events/webhook-signature.ts';
import { sendRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * A request no route answers gets the same JSON error shape as every other refusal, with a code
 * a client can act on: never Express's HTML page ("Cannot POST /healthz").
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

describe('a path the gateway does not serve', () => {
  it.each(['GET', 'POST', 'DELETE'])('is answered 404 NOT_FOUND in JSON to a %s', async (method) => {
    const answer = await sendRaw(gw.url, { path: '/no-such-page', method });
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(answer.text)).toEqual({
      errors: [
        {
          message: `Nothing is served at ${method} /no-such-page; GraphQL is POST /graphql.`,
          extensions: { code: 'NOT_FOUND', reason: 'unknown_path' },
        },
      ],
    });
  });
});

describe('a method a path does not serve', () => {
  it.each([
    ['POST', '/healthz', 'GET, HEAD'],
    ['PUT', '/readyz', 'GET, HEAD'],
    ['POST', '/metrics', 'GET, HEAD'],
    ['DELETE', WEBHOOK_JWKS_PATH, 'GET, HEAD'],
    ['POST', '/console/session-options', 'GET, HEAD'],
    ['GET', '/console/demo-token', 'POST'],
  ])('is answered 405 with Allow to a %s of %s', async (method, path, allowed) => {
    const response = await fetch(`${gw.url}${path}`, { method });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allowed);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: `${path} answers ${allowed.replace(', HEAD', '')} only, not ${method}.`,
          extensions: { code: 'BAD_REQUEST', reason: 'method_not_allowed' },
        },
      ],
    });
  });
});
