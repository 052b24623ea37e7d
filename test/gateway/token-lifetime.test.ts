import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenBuilder, aSigningKey, bearer, type SigningKey } from '../auth/token-builder.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const ISSUER = 'https://idp.example.gov.cn/realms/zj';
const HOUR = 3600;
const now = () => Math.floor(Date.now() / 1000);

/**
 * A gateway trusting one issuer whose tokens may live at most two hours
 * (AUTH_MAX_TOKEN_LIFETIME_SECONDS), with the default clock tolerance of 30 s.
 */
let gw: TestGateway;
let key: SigningKey;
beforeAll(async () => {
  key = await aSigningKey('ES256');
  gw = await startTestGateway({
    authRequired: true,
    env: {
      AUTH_ISSUERS: JSON.stringify([{ issuer: ISSUER, keys: [key.publicJwk] }]),
      AUTH_MAX_TOKEN_LIFETIME_SECONDS: String(2 * HOUR),
    },
  });
});
afterAll(() => gw?.close());

async function answerTo(token: TokenBuilder) {
  return gw.post('{ __typename }', undefined, { authorization: bearer(await token.signedWith(key)) });
}

async function lastAccessLogReason(): Promise<string | null | undefined> {
  const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
  return entry?.reason;
}

const token = (): TokenBuilder => TokenBuilder.for(ISSUER);

describe('a token within its lifetime', () => {
  it('is accepted when issued an hour ago and valid for another hour', async () => {
    const answer = await answerTo(token().with({ iat: now() - HOUR, exp: now() + HOUR - 60 }));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ __typename: 'Query' });
  });

  it('is accepted when issued a few seconds ahead of our clock, within the clock tolerance', async () => {
    expect((await answerTo(token().with({ iat: now() + 10, exp: now() + HOUR }))).status).toBe(200);
  });
});

describe('a token whose lifetime cannot be right', () => {
  it('is refused 401 issued_in_future when issued beyond the clock tolerance ahead of our clock', async () => {
    const answer = await answerTo(token().with({ iat: now() + HOUR, exp: now() + HOUR + 60 }));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'issued_in_future' });
    expect(answer.body.errors?.[0]?.message).toMatch(/issued at \d{4}-\d\d-\d\dT[\d:]+Z, in the future/);
    expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
    expect(await lastAccessLogReason()).toBe('issued_in_future');
  });

  it('is refused 401 lifetime_too_long when it expires in 1e20 seconds', async () => {
    const answer = await answerTo(token().with({ exp: 1e20 }));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'lifetime_too_long' });
    expect(answer.body.errors?.[0]?.message).toContain('7200 s');
    expect(await lastAccessLogReason()).toBe('lifetime_too_long');
  });

  it('is refused 401 lifetime_too_long when it lives a minute longer than the configured maximum', async () => {
    const answer = await answerTo(token().with({ iat: now(), exp: now() + 2 * HOUR + 60 }));
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'lifetime_too_long' });
  });

  it('is refused 401 lifetime_too_long when issued longer ago than the maximum lifetime, though not yet expired', async () => {
    const answer = await answerTo(token().with({ iat: now() - 3 * HOUR, exp: now() + 60 }));
    expect(answer.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'lifetime_too_long' });
  });

  it('is refused 401 expired, not a fault of ours, when it expired before any date can be written (exp -1e20)', async () => {
    const answer = await answerTo(token().with({ exp: -1e20 }));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]).toEqual({
      message: 'The token expired at the NumericDate -100000000000000000000.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'expired' },
    });
  });

  it('is refused 401 missing_claim when it says nothing of when it was issued', async () => {
    const answer = await answerTo(token().without('iat'));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0]).toMatchObject({
      message: 'The token has no "iat" claim.',
      extensions: { code: 'UNAUTHENTICATED', reason: 'missing_claim' },
    });
  });

  it('is refused again when sent again, never taken on trust from an earlier answer', async () => {
    const longLived = await token()
      .with({ exp: now() + 30 * 24 * HOUR })
      .signedWith(key);
    for (let i = 0; i < 2; i++) {
      const answer = await gw.post('{ __typename }', undefined, { authorization: bearer(longLived) });
      expect(answer.status).toBe(401);
      expect(answer.body.errors?.[0]?.extensions).toMatchObject({ reason: 'lifetime_too_long' });
    }
  });
});
