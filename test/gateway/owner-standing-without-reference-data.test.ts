import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { expectGraphQLErrors, expectNoGraphQLErrors, type GraphQLResponse } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

/** The enforcement system, whose reference data lists the townships the gateway serves, is down from the start. */
let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true, downAtStart: ['enforcement'] });
});
afterAll(() => gw?.close());

const legalRepresentativeQuery = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`;
type LegalRepresentativeAnswer = { subject: { legalRepresentative: { idNumber: string } | null } };

const warningCodes = (response: GraphQLResponse<unknown>) =>
  (response.body.extensions?.warnings ?? []).map((warning) => warning['code']);

describe('owner standing while the served area cannot be known', () => {
  it("refuses the county's own approval bureau its legal representatives' identity numbers, and says why", async () => {
    const enterprise = gw.world.enterprises[0]!;
    const response = await gw.post<LegalRepresentativeAnswer>(
      legalRepresentativeQuery,
      { u: enterprise.uscc },
      await gw.as('permit-officer'),
    );
    expect(expectGraphQLErrors(response).map((error) => error.extensions?.['rule'])).toContain('purpose-required');
    expect(JSON.stringify(response.body)).not.toContain(enterprise.legalRepIdNumber);
    const warning = response.body.extensions?.warnings?.find((w) => w['code'] === 'OWNER_STANDING_UNAVAILABLE');
    expect(warning?.['message']).toMatch(/reference data could not be loaded/);
    expect(warning?.['message']).toMatch(/recovers by itself/);
  });

  it('gives the same warning to every caller whatever it asked, so the warning says nothing of any record', async () => {
    const enterprise = gw.world.enterprises[0]!;
    const ownerOfNothingAsked = await gw.post(
      `query ($u: USCC!) { subject(uscc: $u) { name } }`,
      { u: enterprise.uscc },
      await gw.as('permit-officer'),
    );
    expectNoGraphQLErrors(ownerOfNothingAsked);
    const notAnOwner = await gw.post(legalRepresentativeQuery, { u: enterprise.uscc }, await gw.as('county-analyst'));
    const warningsOf = (response: GraphQLResponse<unknown>) =>
      (response.body.extensions?.warnings ?? []).filter((w) => w['code'] === 'OWNER_STANDING_UNAVAILABLE');
    expect(warningsOf(ownerOfNothingAsked)).toHaveLength(1);
    expect(warningsOf(notAnOwner)).toEqual(warningsOf(ownerOfNothingAsked));
  });

  it('gives the approval bureau its own data again once the enforcement system is back, without a restart', async () => {
    const enterprise = gw.world.enterprises[0]!;
    await gw.simulators.control('enforcement').setFaults({ down: false });
    // The enforcement connector's breaker, opened by the outage, lets a call through again after a few seconds.
    const response = await vi.waitFor(
      async () => {
        const answer = await gw.post<LegalRepresentativeAnswer>(
          legalRepresentativeQuery,
          { u: enterprise.uscc },
          await gw.as('permit-officer'),
        );
        expect(answer.body.errors).toBeUndefined();
        return answer;
      },
      { timeout: 20_000, interval: 500 },
    );
    expect(response.body.data?.subject.legalRepresentative?.idNumber).toBe(enterprise.legalRepIdNumber);
    expect(warningCodes(response)).not.toContain('OWNER_STANDING_UNAVAILABLE');
  }, 30_000);
});
