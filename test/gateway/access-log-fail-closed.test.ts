import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/store/access-log-verify.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const MATTER = '瑞综执立〔2026〕7号';
const CLUE_QUERY = 'query ($id: ID!) { clue(id: $id) { id status receivedAt } }';

describe('when the access log cannot be written', () => {
  it('withholds conditional data from every request of the failed batch, and keeps serving what needs no log to be shared', async () => {
    const headers = await gw.as('county-enforcement', MATTER);
    const clues = gw.world.clues.slice(0, 6);
    // Logged normally first, so the log has a head it chains onto without reading it.
    expectNoGraphQLErrors(await gw.post(CLUE_QUERY, { id: clues[0]!.id }, headers));

    // Every insert into the log now fails, whichever way the log tries it.
    await gw.gateway.store.prisma.$executeRawUnsafe('ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID');
    const responses = await Promise.all(clues.slice(1).map((clue) => gw.post(CLUE_QUERY, { id: clue.id }, headers)));
    for (const [i, response] of responses.entries()) {
      expect(response.status).toBe(503);
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'ACCESS_LOG_UNAVAILABLE' } })]);
      expect(JSON.stringify(response.body)).not.toContain(clues[i + 1]!.id);
    }

    const unconditional = await gw.post<{ subject: { name: string } }>(
      'query ($u: USCC!) { subject(uscc: $u) { name } }',
      { u: gw.world.enterprises[0]!.uscc },
      headers,
    );
    expect(expectNoGraphQLErrors(unconditional).subject.name).toBe(gw.world.enterprises[0]!.name);

    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true, entries: 1 });
  });
});
