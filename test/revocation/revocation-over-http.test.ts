import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ISSUER } from '../../src/auth/index.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const SIGN_OUT = 'mutation SignOut { revokeOwnToken { outcome issuer jti expiresAt } }';
const REVOKE =
  'mutation Revoke($issuer: String!, $jti: String!) { revokeToken(issuer: $issuer, jti: $jti) { outcome jti } }';
const WHO = '{ authorities { code } }';

type Revocation = { outcome: string; issuer: string; jti: string | null; expiresAt: string };

function jtiOf(headers: Record<string, string>): string {
  const jti = decodeJwt(headers['authorization']!.split(' ')[1]!).jti;
  if (typeof jti !== 'string') throw new Error('the demo issuer sets jti');
  return jti;
}

async function lastAccessLogEntry() {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  return entry;
}

describe('signing out (revokeOwnToken)', () => {
  it('revokes the token it is sent with: the same token is then refused 401 token_revoked, and logged so', async () => {
    const officer = await gw.as('county-enforcement');
    expectNoGraphQLErrors(await gw.post(WHO, {}, officer));

    const data = expectNoGraphQLErrors(await gw.post<{ revokeOwnToken: Revocation }>(SIGN_OUT, {}, officer));
    expect(data.revokeOwnToken).toMatchObject({ outcome: 'REVOKED', issuer: DEMO_ISSUER, jti: jtiOf(officer) });
    const signOutEntry = await lastAccessLogEntry();
    expect(signOutEntry).toMatchObject({
      operationName: 'SignOut',
      callerSubject: 'demo-county-enforcement',
      outcome: 'OK',
    });

    const refused = await gw.post(WHO, {}, officer);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'token_revoked' });
    expect(refused.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(await lastAccessLogEntry()).toMatchObject({ outcome: 'UNAUTHENTICATED', reason: 'token_revoked' });
    const row = await gw.gateway.store.prisma.revokedToken.findUniqueOrThrow({
      where: { issuer_jti: { issuer: DEMO_ISSUER, jti: jtiOf(officer) } },
    });
    expect(row).toMatchObject({ revokedBy: 'demo-county-enforcement@330381-ZHZFJ' });
    expect(row.expiresAt.getTime()).toBe(decodeJwt(officer['authorization']!.split(' ')[1]!).exp! * 1000);
  });

  it("leaves the caller's other tokens, and a fresh one, valid", async () => {
    const [old, other] = [await gw.as('county-enforcement'), await gw.as('county-enforcement')];
    expectNoGraphQLErrors(await gw.post(SIGN_OUT, {}, old));
    expectNoGraphQLErrors(await gw.post(WHO, {}, other));
    expectNoGraphQLErrors(await gw.post(WHO, {}, await gw.as('county-enforcement')));
  });
});

describe("an administrator revoking another's token (revokeToken)", () => {
  it('ends that token at once; revoking it again says it already was', async () => {
    const victim = await gw.as('permit-officer');
    expectNoGraphQLErrors(await gw.post(WHO, {}, victim));
    const admin = await gw.as('admin');
    const variables = { issuer: DEMO_ISSUER, jti: jtiOf(victim) };
    expect(
      expectNoGraphQLErrors(await gw.post<{ revokeToken: Revocation }>(REVOKE, variables, admin)).revokeToken,
    ).toEqual({ outcome: 'REVOKED', jti: jtiOf(victim) });
    expect((await gw.post(WHO, {}, victim)).body.errors?.[0]?.extensions).toMatchObject({ reason: 'token_revoked' });
    expect(await lastAccessLogEntry()).toMatchObject({ reason: 'token_revoked' });
    expect(
      expectNoGraphQLErrors(await gw.post<{ revokeToken: Revocation }>(REVOKE, variables, admin)).revokeToken,
    ).toMatchObject({ outcome: 'ALREADY_REVOKED' });
    const entries = await gw.gateway.store.prisma.accessLogEntry.findMany({
      where: { operationName: 'Revoke' },
      orderBy: { seq: 'asc' },
    });
    expect(entries.map((entry) => [entry.callerSubject, entry.outcome])).toEqual([
      ['demo-admin', 'OK'],
      ['demo-admin', 'OK'],
    ]);
  });

  it('is refused FORBIDDEN to a caller without the ADMIN role, and the token stays valid', async () => {
    const victim = await gw.as('permit-officer');
    const [error] = expectGraphQLErrors(
      await gw.post(REVOKE, { issuer: DEMO_ISSUER, jti: jtiOf(victim) }, await gw.as('county-enforcement')),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expectNoGraphQLErrors(await gw.post(WHO, {}, victim));
  });

  it("is refused FORBIDDEN not-the-operator to an agency's administrator, and the token stays valid", async () => {
    const victim = await gw.as('county-enforcement');
    const [error] = expectGraphQLErrors(
      await gw.post(REVOKE, { issuer: DEMO_ISSUER, jti: jtiOf(victim) }, await gw.as('approval-admin')),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'not-the-operator' });
    expectNoGraphQLErrors(await gw.post(WHO, {}, victim));
  });

  it.each([
    [
      'an issuer the gateway does not trust',
      { issuer: 'https://idp.example.invalid', jti: 'x' },
      'issuer',
      'unknown_issuer',
    ],
    ['an empty jti', { issuer: DEMO_ISSUER, jti: '' }, 'jti', 'empty'],
    ['a jti longer than any accepted', { issuer: DEMO_ISSUER, jti: 'j'.repeat(257) }, 'jti', 'too_long'],
  ])('is refused BAD_USER_INPUT for %s, naming the argument', async (_what, variables, argument, reason) => {
    const [error] = expectGraphQLErrors(await gw.post(REVOKE, variables, await gw.as('admin')));
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, reason });
    expect(await gw.gateway.store.prisma.revokedToken.count({ where: { jti: variables.jti } })).toBe(0);
  });
});
