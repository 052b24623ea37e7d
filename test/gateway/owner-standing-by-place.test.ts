import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPreset, type DemoPreset } from '../../src/auth/demo-presets.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const MATTER = '瑞综执立〔2026〕101号';

/** A caller like a preset, but of another authority and place. */
function elsewhere(preset: string, change: Pick<DemoPreset, 'authorityCode' | 'authorityName' | 'jurisdictionCode'>) {
  return { ...findDemoPreset(preset)!, ...change, subject: `${preset}-of-${change.authorityCode}` };
}

/** The approval bureau of 平阳县 (330382): an approval bureau, but not of the county this gateway serves. */
const otherCountyApproval = elsewhere('permit-officer', {
  authorityCode: '330382-XZSPJ',
  authorityName: '平阳县行政审批局',
  jurisdictionCode: '330382',
});

/** A township enforcement team of 平阳县. */
const otherCountyTownship = elsewhere('township-officer', {
  authorityCode: '330382001-ZFD',
  authorityName: '平阳县昆阳镇综合行政执法队',
  jurisdictionCode: '330382001',
});

const legalRepresentativeQuery = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber phone } } }`;
type LegalRepresentativeAnswer = { subject: { legalRepresentative: { idNumber: string; phone: string } | null } };

describe("an approval bureau reads its own system's personal fields only where it has jurisdiction", () => {
  it("reads a Ruian legal representative's identity number and phone in clear as the county's own approval bureau", async () => {
    const enterprise = gw.world.enterprises[0]!;
    const data = expectNoGraphQLErrors(
      await gw.post<LegalRepresentativeAnswer>(
        legalRepresentativeQuery,
        { u: enterprise.uscc },
        await gw.as('permit-officer'),
      ),
    );
    expect(data.subject.legalRepresentative?.idNumber).toBe(enterprise.legalRepIdNumber);
  });

  it('refuses them to an approval bureau of another county without a purpose, as to any caller who is not the owner', async () => {
    const enterprise = gw.world.enterprises[0]!;
    const response = await gw.post<LegalRepresentativeAnswer>(
      legalRepresentativeQuery,
      { u: enterprise.uscc },
      await gw.as(otherCountyApproval),
    );
    const errors = expectGraphQLErrors(response);
    expect(errors.map((error) => error.extensions?.['rule'])).toContain('purpose-required');
    expect(JSON.stringify(response.body)).not.toContain(enterprise.legalRepIdNumber);
    expect(JSON.stringify(response.body)).not.toContain(enterprise.legalRepPhone);
  });

  it('shows them masked to an approval bureau of another county with a purpose but no grant', async () => {
    const enterprise = gw.world.enterprises[0]!;
    const data = expectNoGraphQLErrors(
      await gw.post<LegalRepresentativeAnswer>(
        legalRepresentativeQuery,
        { u: enterprise.uscc },
        await gw.as(otherCountyApproval, MATTER),
      ),
    );
    expect(data.subject.legalRepresentative?.idNumber).toBe(
      `${enterprise.legalRepIdNumber.slice(0, 4)}**********${enterprise.legalRepIdNumber.slice(-4)}`,
    );
    expect(data.subject.legalRepresentative?.phone).not.toBe(enterprise.legalRepPhone);
  });
});

describe("an enforcement team reads its own system's conditional fields only where it has jurisdiction", () => {
  it("refuses a Ruian penalty's execution status to a township team of another county", async () => {
    const penalty = gw.world.penalties[0]!;
    const response = await gw.post(
      `query ($d: ID!) { penalty(decisionNo: $d) { decisionNo executionStatus } }`,
      { d: penalty.decisionNo },
      await gw.as(otherCountyTownship),
    );
    const errors = expectGraphQLErrors(response);
    expect(errors[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Penalty.executionStatus' });
  });
});

/** The big-data office of 平阳县: of the operator's kind, but not of the county this gateway serves. */
const otherCountyOperator = elsewhere('admin', {
  authorityCode: '330382-SJFX',
  authorityName: '平阳县大数据分析办',
  jurisdictionCode: '330382',
});

const createGrant = `mutation ($input: GrantInput!) { createGrant(input: $input) { id } }`;
const grantOf = (consumer: { consumerAuthorityCode?: string; consumerAuthorityKind?: string }) => ({
  ownerSystem: 'APPROVAL',
  ...consumer,
  fields: ['LegalRepresentative.idNumber', 'LegalRepresentative.phone'],
  purpose: '核查',
  matters: [MATTER],
  validFrom: '2026-01-01T00:00:00+08:00',
  validUntil: '2099-01-01T00:00:00+08:00',
});

describe('an administrator of another county administers nothing here, whatever its kind', () => {
  it('refuses the other county’s big-data office a grant of this county’s personal data to itself, and lists it no grant', async () => {
    const own = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(
        createGrant,
        { input: grantOf({ consumerAuthorityCode: '330381-ZHZFJ' }) },
        await gw.as('admin'),
      ),
    );
    const [error] = expectGraphQLErrors(
      await gw.post(
        createGrant,
        { input: grantOf({ consumerAuthorityCode: '330382-SJFX' }) },
        await gw.as(otherCountyOperator),
      ),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'not-the-owner' });
    const listed = expectNoGraphQLErrors(
      await gw.post<{ grants: Array<{ id: string }> }>(`{ grants { id } }`, {}, await gw.as(otherCountyOperator)),
    );
    expect(listed.grants.map((grant) => grant.id)).not.toContain(own.createGrant.id);
    await gw.gateway.grants!.revoke(own.createGrant.id, 'test', 'test over');
  });

  it('does not open a grant addressed to approval bureaus to the approval bureau of another county', async () => {
    const enterprise = gw.world.enterprises[0]!;
    const granted = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(
        createGrant,
        { input: { ...grantOf({ consumerAuthorityKind: 'APPROVAL_BUREAU' }), ownerSystem: 'APPROVAL' } },
        await gw.as('admin'),
      ),
    );
    const data = expectNoGraphQLErrors(
      await gw.post<LegalRepresentativeAnswer>(
        legalRepresentativeQuery,
        { u: enterprise.uscc },
        await gw.as(otherCountyApproval, MATTER),
      ),
    );
    expect(data.subject.legalRepresentative?.idNumber).not.toBe(enterprise.legalRepIdNumber);
    await gw.gateway.grants!.revoke(granted.createGrant.id, 'test', 'test over');
  });
});

const submitSharingRequest = `mutation ($input: SharingRequestInput!) { submitSharingRequest(input: $input) { id } }`;
const requestForApprovalData = {
  ownerSystem: 'APPROVAL',
  ownerAuthorityCode: '330381-XZSPJ',
  fields: ['LegalRepresentative.idNumber'],
  purpose: '核实法定代表人身份',
  matters: [MATTER],
  legalBasis: '《中华人民共和国行政许可法》第三十四条',
  validFrom: '2026-01-01T00:00:00+08:00',
  validUntil: '2099-01-01T00:00:00+08:00',
};

describe("a sharing request for its own system's data from an authority of the owning kind", () => {
  it("is refused to the county's own approval bureau, which reads that data as its owner", async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(submitSharingRequest, { input: requestForApprovalData }, await gw.as('permit-officer')),
    );
    expect(error?.message).toMatch(/already reads the approval system's data as its owner; no request is needed/);
  });

  it('is refused to the approval bureau of another county for where it is, never as if it were the owner', async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(submitSharingRequest, { input: requestForApprovalData }, await gw.as(otherCountyApproval)),
    );
    expect(error?.extensions?.['code']).toBe('BAD_USER_INPUT');
    expect(error?.message).not.toMatch(/as its owner/);
    expect(error?.message).toMatch(/does not cover the consumer's \(330382\)/);
  });
});

describe('a grant names its consumer from the reference list', () => {
  it.each([
    ['another county’s approval bureau, whose tokens this gateway accepts', '330382-XZSPJ'],
    ['a mistyped code', '330381-XZSJP'],
  ])('refuses even the operator a grant to %s, storing nothing', async (_, code) => {
    const before = await gw.gateway.store.prisma.grant.count();
    const [error] = expectGraphQLErrors(
      await gw.post(createGrant, { input: grantOf({ consumerAuthorityCode: code }) }, await gw.as('admin')),
    );
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'consumerAuthorityCode',
      reason: 'unknown_authority',
      authorityCode: code,
    });
    expect(error?.message).toContain(`no authority "${code}" is on the reference list`);
    expect(await gw.gateway.store.prisma.grant.count()).toBe(before);
  });
});
