import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import type { TestGateway } from '../support/gateway.ts';

const CREATE_GRANT = `mutation ($input: GrantInput!) { createGrant(input: $input) { id } }`;

/**
 * Grants the approval bureau the two conditional fields a credit check needs, for one application
 * as its matter, and answers the permit officer's headers with that application as the purpose.
 */
export async function permitOfficeFor(gw: TestGateway, application: string): Promise<Record<string, string>> {
  const admin = await gw.as('admin');
  for (const [ownerSystem, field] of [
    ['ENFORCEMENT', 'Penalty.executionStatus'],
    ['CREDIT', 'CreditRecord.commitment'],
  ] as const) {
    expectNoGraphQLErrors(
      await gw.post(
        CREATE_GRANT,
        {
          input: {
            ownerSystem,
            consumerAuthorityCode: '330381-XZSPJ',
            fields: [field],
            purpose: '行政许可审批前信用核查',
            matters: [application],
            validFrom: '2026-01-01T00:00:00+08:00',
            validUntil: '2099-12-31T00:00:00+08:00',
          },
        },
        admin,
      ),
    );
  }
  return gw.as('permit-officer', application);
}
