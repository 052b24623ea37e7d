import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessLog } from '../../src/modules/audit/access-log.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import type { GraphQLResponse } from '../support/graphql-client.ts';

let gw: TestGateway;
beforeAll(async () => {
  // Three graphql-js executions of an operation before it is compiled: one per case below.
  gw = await startTestGateway({ authRequired: true, env: { GRAPHQL_JIT_AFTER: '3' } });
});
afterAll(() => gw?.close());

const MATTER = '瑞综执立〔2026〕101号';

async function metric(name: string, label: string): Promise<number> {
  const text = await (await fetch(`${gw.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${label}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** The access log's newest entry, without what differs between any two requests (time, hashes). */
async function lastEntry() {
  const [entry] = (await new AccessLog(gw.gateway.store.prisma).query({}, { first: 1 })).items;
  const { seq: _seq, at: _at, durationMs: _d, prevHash: _p, hash: _h, traceId: _t, ...rest } = entry!;
  return rest;
}

/** What a client receives, and what the access log keeps of it. */
async function answer(variables: Record<string, unknown>, headers: Record<string, string>) {
  const response: GraphQLResponse = await gw.post(
    `query Seen($u: USCC!) { subject(uscc: $u) { name legalRepresentative { name idNumber } clues { id } } }`,
    variables,
    headers,
  );
  return { status: response.status, body: response.body, logged: await lastEntry() };
}

describe('a query that comes again', () => {
  it('is compiled once and answers as its first executions did: masked, refused, or bad input', async () => {
    const enterprise = gw.world.enterprises[0]!;
    const enforcement = await gw.as('county-enforcement', MATTER);
    const creditPlatform = await gw.as('credit-platform');
    const cases = [
      { name: 'a masked identity number', variables: { u: enterprise.uscc }, headers: enforcement },
      { name: 'a field refused without a purpose', variables: { u: enterprise.uscc }, headers: creditPlatform },
      { name: 'a bad variable', variables: { u: '91330381MA2AAAAA7X' }, headers: enforcement },
    ];
    const compiledBefore = await metric('gateway_graphql_compilations_total', 'outcome="compiled"');
    const first = [];
    for (const c of cases) first.push(await answer(c.variables, c.headers));
    expect(await metric('gateway_graphql_compilations_total', 'outcome="compiled"')).toBe(compiledBefore);

    // Each case shows what it is named for, so the comparison below compares something.
    const [masked, refused, bad] = first;
    const idNumber = (masked!.body.data as { subject: { legalRepresentative: { idNumber: string } } }).subject
      .legalRepresentative.idNumber;
    expect(idNumber).toBe(
      `${enterprise.legalRepIdNumber.slice(0, 4)}**********${enterprise.legalRepIdNumber.slice(-4)}`,
    );
    expect(refused!.body.errors).toContainEqual(
      expect.objectContaining({
        path: ['subject', 'clues'],
        extensions: expect.objectContaining({ code: 'FORBIDDEN' }),
      }),
    );
    expect(bad!.status).toBe(400);
    expect(bad!.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const jitBefore = await metric('gateway_graphql_executions_total', 'engine="jit"');
    for (let round = 0; round < 2; round++) {
      for (const [i, c] of cases.entries()) {
        expect(await answer(c.variables, c.headers), `${c.name}, compiled`).toEqual(first[i]);
      }
    }
    expect(await metric('gateway_graphql_compilations_total', 'outcome="compiled"')).toBe(compiledBefore + 1);
    expect(await metric('gateway_graphql_executions_total', 'engine="jit"')).toBe(jitBefore + 6);
  });

  it('does not compile a flood of distinct documents', async () => {
    const headers = await gw.as('county-enforcement');
    const compiledBefore = await metric('gateway_graphql_compilations_total', 'outcome="compiled"');
    const uscc = gw.world.enterprises[0]!.uscc;
    for (let i = 0; i < 40; i++) {
      // Each is sent as often as the gateway allows before compiling, and then never again.
      for (let sent = 0; sent < 3; sent++) {
        const response = await gw.post(
          `query Flood${i}($u: USCC!) { subject(uscc: $u) { name } }`,
          { u: uscc },
          headers,
        );
        expect(response.status).toBe(200);
      }
    }
    expect(await metric('gateway_graphql_compilations_total', 'outcome="compiled"')).toBe(compiledBefore);
  });
});
