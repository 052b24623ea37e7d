import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPreset } from '../../src/auth/demo-presets.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/** SERVED_JURISDICTION names the county, and the enforcement system (the reference data's source) is down from the start. */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({
    authRequired: true,
    downAtStart: ['enforcement'],
    env: { SERVED_JURISDICTION: '330381' },
  });
});
afterAll(() => gw?.close());

const legalRepresentativeQuery = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`;
type LegalRepresentativeAnswer = { subject: { legalRepresentative: { idNumber: string } | null } };

describe('a served area configured by SERVED_JURISDICTION', () => {
  it("gives the county's own approval bureau its own data in clear while the enforcement system is down", async () => {
    const enterprise = gw.world.enterprises[0]!;
    const response = await gw.post<LegalRepresentativeAnswer>(
      legalRepresentativeQuery,
      { u: enterprise.uscc },
      await gw.as('permit-officer'),
    );
    expect(expectNoGraphQLErrors(response).subject.legalRepresentative?.idNumber).toBe(enterprise.legalRepIdNumber);
    expect(response.body.extensions?.warnings ?? []).toEqual([]);
  });

  it('still refuses them to the approval bureau of another county without a purpose', async () => {
    const enterprise = gw.world.enterprises[0]!;
    const otherCounty = {
      ...findDemoPreset('permit-officer')!,
      subject: 'permit-officer-of-330382-XZSPJ',
      authorityCode: '330382-XZSPJ',
      authorityName: '平阳县行政审批局',
      jurisdictionCode: '330382',
    };
    const response = await gw.post(legalRepresentativeQuery, { u: enterprise.uscc }, await gw.as(otherCounty));
    expect(expectGraphQLErrors(response).map((error) => error.extensions?.['rule'])).toContain('purpose-required');
    expect(JSON.stringify(response.body)).not.toContain(enterprise.legalRepIdNumber);
  });
});
