import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

async function newestEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  if (!entry) throw new Error('the access log is empty');
  return entry;
}

const PEEK = 'query Peek($u: USCC!) { subject(uscc: $u) { name } accessLog { entries { seq } } }';

describe('refusals in the access log', () => {
  it('records a 401 with no caller, the client address, the reason, the operation hash and the fields asked for', async () => {
    const variables = { u: gw.world.enterprises[0]!.uscc };
    const response = await gw.post(PEEK, variables, { authorization: 'Bearer not-a-token' });
    expect(response.status).toBe(401);
    expect(await newestEntry()).toMatchObject({
      callerSubject: '',
      issuer: '',
      outcome: 'UNAUTHENTICATED',
      reason: 'malformed_token',
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
      operationName: 'Peek',
      queryHash: hashQuery(PEEK, variables),
      deniedFields: ['Query.accessLog', 'Query.subject'],
      conditionalFields: [],
    });
  });

  it('records a request without any token', async () => {
    const response = await gw.post('mutation { revokeGrant(id: "x", reason: "y") { outcome } }');
    expect(response.status).toBe(401);
    expect(await newestEntry()).toMatchObject({
      outcome: 'UNAUTHENTICATED',
      reason: 'missing_token',
      deniedFields: ['Mutation.revokeGrant'],
    });
  });

  it('records a role refusal with the caller and the field refused', async () => {
    const response = await gw.post('{ accessLog { entries { seq } } }', undefined, await gw.as('township-officer'));
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'role' });
    // A refused field is nullable and nulls itself alone (b409ce1): the answer is `{ accessLog: null }`
    // beside the refusal, logged PARTIAL as a refused clue(id:) is (nothing-readable.test.ts).
    expect(response.body.data).toEqual({ accessLog: null });
    expect(await newestEntry()).toMatchObject({
      callerSubject: expect.stringMatching(/.+/),
      outcome: 'PARTIAL',
      reason: 'role',
      deniedFields: ['Query.accessLog'],
      clientAddress: expect.stringMatching(/127\.0\.0\.1$/),
    });
  });

  it('records every field of a mutation refused as a whole', async () => {
    const response = await gw.post(
      'mutation { a: revokeGrant(id: "x", reason: "y") { outcome } b: createGrant(input: { ownerSystem: CREDIT, consumerAuthorityKind: COUNTY_ENFORCEMENT_BUREAU, fields: ["X.y"], purpose: "p", validFrom: "2026-01-01T00:00:00+08:00", validUntil: "2027-01-01T00:00:00+08:00" }) { id } }',
      undefined,
      await gw.as('township-officer'),
    );
    expect(response.status).toBe(403);
    expect(await newestEntry()).toMatchObject({
      outcome: 'DENIED',
      reason: 'mutation-all-or-nothing',
      deniedFields: ['Mutation.createGrant', 'Mutation.revokeGrant'],
    });
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true, entries: 4 });
  });
});
