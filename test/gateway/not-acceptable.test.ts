import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/**
 * A request whose Accept header admits no media type the gateway answers in is refused 406 before
 * its operation runs. Apollo negotiates the answer's media type only after executing the
 * operation: a mutation ran (a grant was made) for a caller told it was refused, agencies were
 * asked for a query's records, and the access log recorded an answer never given as `OK`.
 */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const createGrant = `mutation ($input: GrantInput!) { createGrant(input: $input) { id } }`;
const grantInput = {
  ownerSystem: 'ENFORCEMENT',
  consumerAuthorityCode: '330381-SJFX',
  fields: ['Subject.clues'],
  purpose: '核查',
  matters: ['瑞综执立〔2026〕406号'],
  validFrom: new Date().toISOString(),
  validUntil: new Date(Date.now() + 86_400_000).toISOString(),
};

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  return entry;
}

describe('an Accept header that admits no JSON answer', () => {
  it('runs no mutation: the grant asked for is not made', async () => {
    const before = await gw.gateway.store.prisma.grant.count();
    const answer = await postRaw(
      gw.url,
      { query: createGrant, variables: { input: grantInput } },
      { ...(await gw.as('admin')), accept: 'application/xml' },
    );
    expect(answer.status, answer.text).toBe(406);
    expect(JSON.parse(answer.text)).toMatchObject({
      errors: [{ extensions: { code: 'BAD_REQUEST', reason: 'not_acceptable' } }],
    });
    expect(await gw.gateway.store.prisma.grant.count()).toBe(before);
  });

  it('asks no agency for the records a query names', async () => {
    const before = await gw.upstreamRequestCounts();
    const subject = gw.world.enterprises[0]!.uscc;
    const answer = await postRaw(
      gw.url,
      { query: `{ subject(uscc: "${subject}") { name permits { permitNo } } }` },
      { ...(await gw.as('county-enforcement')), accept: 'text/html' },
    );
    expect(answer.status, answer.text).toBe(406);
    expect(await gw.upstreamRequestCounts()).toEqual(before);
  });

  it('is recorded as the refusal it is, reason not_acceptable, with no subject touched', async () => {
    const subject = gw.world.enterprises[1]!.uscc;
    await postRaw(
      gw.url,
      { query: `{ subject(uscc: "${subject}") { name } }` },
      { ...(await gw.as('county-analyst')), accept: 'multipart/mixed' },
    );
    expect(await newestEntry()).toMatchObject({
      outcome: 'ERROR',
      reason: 'not_acceptable',
      callerSubject: 'demo-county-analyst',
      subjects: [],
    });
  });

  it.each([
    ['no Accept header', undefined],
    ['an empty one', ''],
    ['*/*', '*/*'],
    ['application/*', 'application/*'],
    ['the GraphQL response type', 'application/graphql-response+json'],
    ['JSON among others, weighted low', 'text/html, application/json;q=0.1'],
  ])('answers as before with %s', async (_name, accept) => {
    const answer = await postRaw(
      gw.url,
      { query: '{ __typename }' },
      { ...(await gw.as('county-analyst')), ...(accept === undefined ? {} : { accept }) },
    );
    expect(answer.status, answer.text).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ data: { __typename: 'Query' } });
  });
});
