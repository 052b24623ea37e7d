import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const MATTER = '瑞综执立〔2026〕7号';
const CLUE_QUERY = 'query ($id: ID!) { clue(id: $id) { id status receivedAt } }';
const NAME_QUERY = 'query ($u: USCC!) { subject(uscc: $u) { name } }';

async function readiness(): Promise<{
  status: number;
  body: { status: string; checks: Record<string, { ok: boolean; error?: string }> };
}> {
  const response = await fetch(`${gw.url}/readyz`);
  return { status: response.status, body: (await response.json()) as never };
}

describe('when the access log cannot be written', () => {
  it('withholds every answer, unconditional ones included, with 503 and Retry-After, is not ready, and answers again once it can write', async () => {
    const headers = await gw.as('county-enforcement', MATTER);
    const clues = gw.world.clues.slice(0, 6);
    const uscc = gw.world.enterprises[0]!.uscc;
    // Logged normally first, so the log has a head it chains onto without reading it.
    expectNoGraphQLErrors(await gw.post(CLUE_QUERY, { id: clues[0]!.id }, headers));

    // Every insert into the log now fails, whichever way the log tries it.
    await gw.gateway.store.prisma.$executeRawUnsafe(
      'ALTER TABLE access_log ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
    );
    const responses = await Promise.all(clues.slice(1).map((clue) => gw.post(CLUE_QUERY, { id: clue.id }, headers)));
    for (const [i, response] of responses.entries()) {
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(response.body.data).toBeNull();
      expect(response.body.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'ACCESS_LOG_UNAVAILABLE' }) }),
      ]);
      expect(JSON.stringify(response.body)).not.toContain(clues[i + 1]!.id);
    }

    // Changed by issue 9: an unconditional answer is withheld too, or it would leave no trace.
    const unconditional = await gw.post(NAME_QUERY, { u: uscc }, headers);
    expect(unconditional.status).toBe(503);
    expect(unconditional.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(unconditional.body.errors?.[0]?.extensions?.['code']).toBe('ACCESS_LOG_UNAVAILABLE');
    expect(JSON.stringify(unconditional.body)).not.toContain(gw.world.enterprises[0]!.name);

    const unready = await readiness();
    expect(unready.status).toBe(503);
    expect(unready.body.status).toBe('not_ready');
    expect(unready.body.checks['accessLog']).toMatchObject({
      ok: false,
      error: expect.stringContaining('the access log cannot be written'),
    });

    // The store takes writes again: the writer notices by itself, no restart.
    await gw.gateway.store.prisma.$executeRawUnsafe('ALTER TABLE access_log DROP CONSTRAINT refuse_all');
    await vi.waitFor(async () => expect((await readiness()).status).toBe(200), { timeout: 10_000, interval: 100 });
    expect(
      expectNoGraphQLErrors(await gw.post<{ subject: { name: string } }>(NAME_QUERY, { u: uscc }, headers)).subject
        .name,
    ).toBe(gw.world.enterprises[0]!.name);
    expectNoGraphQLErrors(await gw.post(CLUE_QUERY, { id: clues[1]!.id }, headers));

    // Every answer given has its entry, and the chain is whole.
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true, entries: 3 });
  });
});
