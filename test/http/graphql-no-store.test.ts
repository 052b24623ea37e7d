import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
}, 120_000);
afterAll(async () => {
  await gw?.close();
});

const LEGAL_REPRESENTATIVE = '{ subject(uscc: "91330381MA2G2YEE23") { name legalRepresentative { name } } }';

/** No cache may keep a GraphQL answer: each is what one caller's token and matter let it read. */
describe('GraphQL answers are never stored by a cache', () => {
  it("says no-store on an answer to GET holding a legal representative's personal data", async () => {
    const response = await fetch(`${gw.url}/graphql?query=${encodeURIComponent(LEGAL_REPRESENTATIVE)}`, {
      headers: {
        accept: 'application/json',
        'apollo-require-preflight': 'true',
        ...(await gw.as('county-enforcement')),
      },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { subject: { legalRepresentative: { name: string } } } };
    expect(body.data.subject.legalRepresentative.name).toBeTruthy();
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('says no-store on an answer to POST, and on a refusal of the sharing rules', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await gw.as('county-analyst')) },
      body: JSON.stringify({ query: '{ subject(uscc: "91330381MA2G2YEE23") { clues { id } } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('says no-store on a refusal before GraphQL runs (no token, a malformed body)', async () => {
    const unauthenticated = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
    const malformed = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await gw.as('county-analyst')) },
      body: '{"query": ',
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('cache-control')).toBe('no-store');
  });
});
