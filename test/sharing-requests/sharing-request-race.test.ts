import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { migratedDatabaseUrl, postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';

const SUBMIT = `mutation ($input: SharingRequestInput!) { submitSharingRequest(input: $input) { id } }`;
const ANSWER = `mutation ($input: SharingRequestAnswerInput!) { answerSharingRequest(input: $input) { status grantId } }`;
const REQUEST = `query ($id: ID!) { sharingRequest(id: $id) { status grantId history { kind } } }`;
const GRANTS = `{ grants { id origin } }`;

const input = (matter: string) => ({
  ownerSystem: 'APPROVAL',
  ownerAuthorityCode: '330381-XZSPJ',
  fields: ['LegalRepresentative.idNumber', 'LegalRepresentative.phone'],
  purpose: '案件调查中核实法定代表人身份',
  matters: [matter],
  legalBasis: '《中华人民共和国行政处罚法》第五十五条',
  validFrom: '2026-01-01T00:00:00+08:00',
  validUntil: '2027-01-01T00:00:00+08:00',
});

/** Three answers an owner's administrator sends at once, as two browser tabs and a retry would. */
const ANSWERS = [
  { decision: 'APPROVE' },
  { decision: 'APPROVE_IN_PART', fields: ['LegalRepresentative.phone'], reason: '只需电话' },
  { decision: 'REJECT', reason: '无必要' },
];

for (const store of ['PGlite', 'PostgreSQL'] as const) {
  describe.runIf(store === 'PGlite' || TEST_DATABASE_URL !== undefined)(
    `answers sent to one sharing request at once, on ${store}`,
    () => {
      const variant = postgresVariant(TEST_DATABASE_URL);
      let gw: TestGateway;
      beforeAll(async () => {
        gw = await startTestGateway({
          authRequired: true,
          databaseUrl: store === 'PostgreSQL' ? await migratedDatabaseUrl(variant) : undefined,
        });
      }, 180_000);
      afterAll(async () => {
        await gw?.close();
        await variant.dispose();
      });

      it('agree on one: the others are told it was answered already, and one grant at most exists', async () => {
        const owner = await gw.as('approval-admin');
        let granted = 0;
        for (const round of [1, 2, 3]) {
          const { id } = expectNoGraphQLErrors(
            await gw.post<{ submitSharingRequest: { id: string } }>(
              SUBMIT,
              { input: input(`核查 瑞综执立〔2026〕90${round}号`) },
              await gw.as('county-enforcement'),
            ),
          ).submitSharingRequest;

          const responses = await Promise.all(
            ANSWERS.map((answer) => gw.post(ANSWER, { input: { id, ...answer } }, owner)),
          );

          const won = responses.filter((r) => r.body.errors === undefined);
          const lost = responses.filter((r) => r.body.errors !== undefined);
          expect(won, JSON.stringify(responses.map((r) => r.body))).toHaveLength(1);
          for (const response of lost)
            expect(response.body.errors?.[0]?.extensions).toMatchObject({
              code: 'CONFLICT',
              reason: 'already_answered',
            });
          const request = expectNoGraphQLErrors(
            await gw.post<{
              sharingRequest: { status: string; grantId: string | null; history: Array<{ kind: string }> };
            }>(REQUEST, { id }, owner),
          ).sharingRequest;
          expect(request.history.map((step) => step.kind)).toEqual(['SUBMITTED', request.status]);
          const grants = expectNoGraphQLErrors(
            await gw.post<{ grants: Array<{ id: string; origin: string }> }>(GRANTS, {}, await gw.as('admin')),
          ).grants.filter((grant) => grant.origin === 'SHARING_REQUEST');
          expect(grants.filter((grant) => grant.id === request.grantId)).toHaveLength(request.grantId ? 1 : 0);
          if (request.grantId) granted += 1;
        }
        const grants = expectNoGraphQLErrors(
          await gw.post<{ grants: Array<{ origin: string }> }>(GRANTS, {}, await gw.as('admin')),
        ).grants.filter((grant) => grant.origin === 'SHARING_REQUEST');
        expect(grants).toHaveLength(granted);
      });
    },
  );
}
