import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const CREATE_GRANT = `mutation ($input: GrantInput!) { createGrant(input: $input) { id validFrom validUntil } }`;
const SUBMIT = `mutation ($input: SharingRequestInput!) { submitSharingRequest(input: $input) { id validFrom validUntil } }`;
const MATTER = '核查 瑞综执立〔2026〕777号';
const period = { validFrom: '2026-01-01T00:00:00+08:00', validUntil: '2099-01-01T00:00:00+08:00' };

function grantInput(dates: Partial<typeof period>) {
  return {
    ownerSystem: 'APPROVAL',
    consumerAuthorityCode: '330381-ZHZFJ',
    fields: ['LegalRepresentative.idNumber'],
    purpose: '案件调查中核实法定代表人身份',
    matters: [MATTER],
    ...period,
    ...dates,
  };
}

function requestInput(dates: Partial<typeof period>) {
  return {
    ownerSystem: 'APPROVAL',
    ownerAuthorityCode: '330381-XZSPJ',
    fields: ['LegalRepresentative.idNumber'],
    purpose: '案件调查中核实法定代表人身份',
    matters: [MATTER],
    legalBasis: '《中华人民共和国行政处罚法》第五十五条',
    ...period,
    ...dates,
  };
}

async function storedCounts() {
  const prisma = gw.gateway.store.prisma;
  return { grants: await prisma.grant.count(), requests: await prisma.sharingRequest.count() };
}

// Each was taken: a day the calendar lacks was moved silently (2098-02-30 stored as 03-02), and an
// instant whose China time has no four-digit year was stored, then answered 500 on the way out.
const IMPOSSIBLE = [
  ['a day the month does not have', '2098-02-30T00:00:00+08:00'],
  ['April the 31st', '2098-04-31T12:00:00+08:00'],
  ['hour 24', '2098-06-01T24:00:00+08:00'],
  ['an instant after year 9999 in China time', '9999-12-31T23:59:59-23:59'],
  ['an instant before year 100 in China time', '0000-01-01T00:00:00+14:00'],
] as const;

describe('an instant argument the gateway could not mean, or could not give back', () => {
  it.each(IMPOSSIBLE)('refuses %s (%s) with 400 BAD_USER_INPUT and stores nothing', async (_what, instant) => {
    const before = await storedCounts();
    for (const [query, input, caller] of [
      [CREATE_GRANT, grantInput({ validUntil: instant }), 'admin'],
      [CREATE_GRANT, grantInput({ validFrom: instant }), 'admin'],
      [SUBMIT, requestInput({ validUntil: instant }), 'county-enforcement'],
    ] as const) {
      const response = await gw.post(query, { input }, await gw.as(caller));
      const [error] = expectGraphQLErrors(response);
      expect(response.status, JSON.stringify(response.body)).toBe(400);
      expect(error?.extensions?.['code']).toBe('BAD_USER_INPUT');
      expect(error?.message).toContain(JSON.stringify(instant));
    }
    expect(await storedCounts()).toEqual(before);
  });
});
