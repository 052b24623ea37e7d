import type { GraphQLResponse } from './graphql-client.ts';
import type { TestGateway } from './gateway.ts';

/**
 * The administrator grants authority 330381-XYZX the inspections' findings for one matter: a
 * mutation that writes to the store and to the access log, for tests that need one of each kind.
 */
export async function createSampleGrant(gw: TestGateway, matter: string): Promise<GraphQLResponse> {
  return gw.post(
    'mutation ($input: GrantInput!) { createGrant(input: $input) { id } }',
    {
      input: {
        ownerSystem: 'SUPERVISION',
        consumerAuthorityCode: '330381-XYZX',
        fields: ['Inspection.findings'],
        purpose: '信用修复核查',
        matters: [matter],
        validFrom: '2026-01-01T00:00:00+08:00',
        validUntil: '2027-12-31T00:00:00+08:00',
      },
    },
    await gw.as('admin'),
  );
}
