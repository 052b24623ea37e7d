import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from '../auth/token-builder.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';
const HOUR = 3600;
const TOLERANCE_SECONDS = 30;
const SIGN_OUT = 'mutation SignOut { revokeOwnToken { outcome jti expiresAt } }';
const REVOKE =
  'mutation Revoke($jti: String!) { revokeToken(issuer: "' + ISSUER + '", jti: $jti) { outcome expiresAt } }';
const TYPENAME = '{ __typename }';

/** A gateway trusting one identity platform, whose tokens may live at most two hours. */
let gw: TestGateway;
let key: SigningKey;
beforeAll(async () => {
  key = await aSigningKey('ES256');
  gw = await startTestGateway({
    authRequired: true,
    env: {
      AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]),
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: String(2 * HOUR),
      AUTH_CLOCK_TOLERANCE_SECONDS: String(TOLERANCE_SECONDS),
    },
  });
});
afterAll(() => gw?.close());

const officer = () => TokenBuilder.for(ISSUER);
/** The gateway's operator's administrator (the county big-data office). */
const operatorAdmin = () =>
  TokenBuilder.for(ISSUER).with({
    sub: 'admin-3',
    authority: '330381-SJFX',
    authority_kind: 'ANALYSIS_OFFICE',
    jurisdiction: '330381',
    roles: ['ADMIN'],
  });

async function headers(token: TokenBuilder) {
  return { authorization: bearer(await token.signedWith(key)) };
}

describe("an identity platform's token without a jti", () => {
  it('is accepted, and signing out with it answers NOT_REVOCABLE with when it expires: it stays valid', async () => {
    const exp = Math.floor(Date.now() / 1000) + HOUR;
    const caller = await headers(officer().with({ exp }));
    const data = expectNoGraphQLErrors(
      await gw.post<{ revokeOwnToken: { outcome: string; jti: string | null; expiresAt: string } }>(
        SIGN_OUT,
        {},
        caller,
      ),
    );
    expect(data.revokeOwnToken).toMatchObject({ outcome: 'NOT_REVOCABLE', jti: null });
    expect(Date.parse(data.revokeOwnToken.expiresAt)).toBe(exp * 1000);
    expectNoGraphQLErrors(await gw.post(TYPENAME, {}, caller));
    expect(await gw.gateway.store.prisma.revokedToken.count()).toBe(0);
  });
});

describe("an identity platform's token with a jti", () => {
  it('is refused token_revoked once its caller signs out', async () => {
    const caller = await headers(officer().with({ jti: 'sess-0001' }));
    expect(
      expectNoGraphQLErrors(await gw.post<{ revokeOwnToken: { outcome: string } }>(SIGN_OUT, {}, caller))
        .revokeOwnToken,
    ).toMatchObject({ outcome: 'REVOKED', jti: 'sess-0001' });
    expect((await gw.post(TYPENAME, {}, caller)).body.errors?.[0]?.extensions).toMatchObject({
      reason: 'token_revoked',
    });
  });

  it('revoked by id is kept for as long as a token of the issuer accepted now could live', async () => {
    const before = Date.now();
    const data = expectNoGraphQLErrors(
      await gw.post<{ revokeToken: { outcome: string; expiresAt: string } }>(
        REVOKE,
        { jti: 'stolen-7' },
        await headers(operatorAdmin()),
      ),
    );
    expect(data.revokeToken.outcome).toBe('REVOKED');
    const longest = (2 * HOUR + TOLERANCE_SECONDS) * 1000;
    expect(Date.parse(data.revokeToken.expiresAt)).toBeGreaterThanOrEqual(before + longest - 1000);
    expect(Date.parse(data.revokeToken.expiresAt)).toBeLessThanOrEqual(Date.now() + longest);

    const stolen = await headers(officer().with({ jti: 'stolen-7', exp: Math.floor(Date.now() / 1000) + HOUR }));
    expect((await gw.post(TYPENAME, {}, stolen)).status).toBe(401);
    // Another token of the issuer, another jti, is untouched.
    expectNoGraphQLErrors(await gw.post(TYPENAME, {}, await headers(officer().with({ jti: 'stolen-8' }))));
  });
});
