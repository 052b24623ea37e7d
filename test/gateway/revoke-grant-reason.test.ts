import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const CREATE_GRANT = `mutation ($input: GrantInput!) { createGrant(input: $input) { id } }`;
const REVOKE_GRANT = `mutation ($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { outcome grant { revokedAt revokeReason } } }`;
type Revoked = { revokeGrant: { outcome: string; grant: { revokedAt: string | null; revokeReason: string | null } } };

async function grantToEnforcement(): Promise<string> {
  const input = {
    ownerSystem: 'APPROVAL',
    consumerAuthorityCode: '330381-ZHZFJ',
    fields: ['LegalRepresentative.idNumber'],
    purpose: '案件调查中核实法定代表人身份',
    matters: ['核查 瑞综执立〔2026〕777号'],
    validFrom: '2026-01-01T00:00:00+08:00',
    validUntil: '2099-01-01T00:00:00+08:00',
  };
  return expectNoGraphQLErrors(
    await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input }, await gw.as('admin')),
  ).createGrant.id;
}

describe('the reason a grant is revoked for, which its consumer and auditors read', () => {
  it.each([
    ['blank', '  \u200B '],
    ['longer than 1000 characters', '理'.repeat(1001)],
  ])('is refused %s with BAD_USER_INPUT naming the argument, and the grant stays in force', async (_what, reason) => {
    const id = await grantToEnforcement();
    const [error] = expectGraphQLErrors(await gw.post(REVOKE_GRANT, { id, reason }, await gw.as('admin')));
    expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'reason' });
    expect((await gw.gateway.grants!.find(id))?.revokedAt).toBeNull();
  });

  it('is refused over 1000 characters as every over-long string argument is: reason too_long, its length and the limit', async () => {
    const id = await grantToEnforcement();
    const [error] = expectGraphQLErrors(
      await gw.post(REVOKE_GRANT, { id, reason: '理'.repeat(1001) }, await gw.as('admin')),
    );
    expect(error?.extensions).toMatchObject({ reason: 'too_long', length: 1001, limit: 1000 });
  });

  it('is kept trimmed, up to 1000 characters', async () => {
    const id = await grantToEnforcement();
    const reason = `${'理'.repeat(999)}由`;
    const data = expectNoGraphQLErrors(
      await gw.post<Revoked>(REVOKE_GRANT, { id, reason: ` ${reason}\n` }, await gw.as('admin')),
    );
    expect(data.revokeGrant).toMatchObject({ outcome: 'REVOKED', grant: { revokeReason: reason } });
  });
});
