import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Grant } from '../../src/modules/access/grant-store.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const MATTER = '瑞综执立〔2026〕31号';
const ADMIN = 'admin@330381-SJJ';
const CLUE = 'query Exists($id: ID!) { clue(id: $id) { __typename } }';
const CLUES = 'query Count($u: USCC!) { subject(uscc: $u) { name clues { __typename } } }';

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

/** A grant to the permit officer's approval bureau of enforcement fields, for the test's matter. */
function grantToPermitBureau(fields: string[]): Promise<Grant> {
  return gw.gateway.grants!.create(
    {
      ownerSystem: 'enforcement',
      consumerAuthorityCode: '330381-XZSPJ',
      fields,
      purpose: '许可核查',
      matters: [MATTER],
      validFrom: '2026-01-01T00:00:00+08:00',
      validUntil: '2027-01-01T00:00:00+08:00',
    },
    ADMIN,
  );
}

describe('a record type the caller may read nothing of', () => {
  it('is refused by clue(id:) with nothing-readable, the same for a clue that exists and one that does not', async () => {
    const existing = gw.world.clues[0]!.id;
    for (const purpose of [undefined, MATTER]) {
      const headers = await gw.as('permit-officer', purpose);
      const before = (await gw.upstreamRequestCounts()).enforcement;
      const found = await gw.post(CLUE, { id: existing }, headers);
      const missing = await gw.post(CLUE, { id: 'XS2099999999' }, headers);
      expect(found.status).toBe(missing.status);
      expect(found.body).toEqual(missing.body);
      expect(found.body.data).toEqual({ clue: null });
      const [error] = expectGraphQLErrors(found);
      // Without a purpose the refusal says what could open the clue: a stated matter (and a grant for it).
      const rule = purpose ? 'nothing-readable' : 'purpose-required';
      expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule, field: 'Query.clue' });
      expect(error?.path).toEqual(['clue']);
      // Refused before the resolver ran: nothing was asked of the enforcement system.
      expect((await gw.upstreamRequestCounts()).enforcement).toBe(before);
      expect(await newestEntry()).toMatchObject({
        outcome: 'PARTIAL',
        reason: rule,
        deniedFields: ['Query.clue'],
        conditionalFields: [],
      });
    }
  });

  it('still answers clue(id:) to the enforcement bureau, whose fields they are', async () => {
    const clue = gw.world.clues[0]!;
    const data = expectNoGraphQLErrors(
      await gw.post<{ clue: { id: string } }>(
        'query ($id: ID!) { clue(id: $id) { id } }',
        { id: clue.id },
        await gw.as('county-enforcement', MATTER),
      ),
    );
    expect(data.clue.id).toBe(clue.id);
  });

  it('refuses a list of clues granted without any field of a clue, rather than telling how many there are', async () => {
    const uscc = gw.world.clues[0]!.subjectUscc;
    const listOnly = await grantToPermitBureau(['Subject.clues']);
    try {
      const headers = await gw.as('permit-officer', MATTER);
      const response = await gw.post<{ subject: { name: string; clues: null } }>(CLUES, { u: uscc }, headers);
      const [error] = expectGraphQLErrors(response);
      expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'nothing-readable', field: 'Subject.clues' });
      expect(response.body.data?.subject.clues).toBeNull();
      const entry = await newestEntry();
      expect(entry.deniedFields).toEqual(['Subject.clues']);
      // Refused, so not read under the grant.
      expect(entry.conditionalFields).not.toContain('Subject.clues');

      const statusToo = await grantToPermitBureau(['Clue.status']);
      try {
        const data = expectNoGraphQLErrors(
          await gw.post<{ subject: { clues: Array<{ __typename: string }> } }>(CLUES, { u: uscc }, headers),
        );
        const count = gw.world.clues.filter((clue) => clue.subjectUscc === uscc).length;
        expect(data.subject.clues).toHaveLength(count);
        expect(count).toBeGreaterThan(0);
      } finally {
        await gw.gateway.grants!.revoke(statusToo.id, ADMIN, 'test over');
      }
    } finally {
      await gw.gateway.grants!.revoke(listOnly.id, ADMIN, 'test over');
    }
  });
});
