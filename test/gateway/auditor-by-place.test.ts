import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPreset, type DemoPreset } from '../../src/auth/demo-presets.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { anyangClue, MARKET_REGULATION, READ_TRANSFER, sendClue } from '../transfers/transfer-fixtures.ts';

let gw: TestGateway;
let transferId: string;
let sharingRequestId: string;
beforeAll(async () => {
  // Generous: the first registry sync must finish on a loaded machine, or subjects lack their township.
  gw = await startTestGateway({ authRequired: true, upstreamTimeoutMs: 10_000 });
  const { subject, powerItemCode } = anyangClue(gw.world, 70);
  transferId = (await sendClue(gw, { subject, powerItemCode, findings: '无证经营', evidenceRefs: ['E70'] })).transfer
    .id;
  const submitted = await gw.post<{ submitSharingRequest: { id: string } }>(
    `mutation ($input: SharingRequestInput!) { submitSharingRequest(input: $input) { id } }`,
    {
      input: {
        ownerSystem: 'APPROVAL',
        ownerAuthorityCode: '330381-XZSPJ',
        fields: ['LegalRepresentative.idNumber'],
        purpose: '案件调查中核实法定代表人身份',
        matters: ['核查 瑞综执立〔2026〕777号'],
        legalBasis: '《中华人民共和国行政处罚法》第五十五条',
        validFrom: '2026-01-01T00:00:00+08:00',
        validUntil: '2099-01-01T00:00:00+08:00',
      },
    },
    await gw.as('county-enforcement'),
  );
  sharingRequestId = expectNoGraphQLErrors(submitted).submitSharingRequest.id;
});
afterAll(() => gw?.close());

/** An auditor of 平阳县 (330382): an auditor, but not of the county this gateway serves. */
const otherCountyAuditor: DemoPreset = {
  ...findDemoPreset('auditor')!,
  subject: 'auditor-of-330382',
  authorityCode: '330382-SJFX',
  authorityName: '平阳县大数据分析办',
  jurisdictionCode: '330382',
};

const ACCESS_LOG = `{ accessLog(first: 5) { entries { authorityCode subjects } } }`;
const TRANSFERS = `query ($code: String) { transfers(filter: { authorityCode: $code }) { id findings } }`;
const SHARING = `query ($id: ID!) { sharingRequest(id: $id) { id } sharingRequests { id } overdueSharingRequests { ownerAuthorityCode } }`;

describe('an auditor of another county audits nothing here', () => {
  it('is refused the access log, which names who read which enterprise for which matter', async () => {
    const [error] = expectGraphQLErrors(await gw.post(ACCESS_LOG, {}, await gw.as(otherCountyAuditor)));
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("reads no transfer it is no party to: one by id is answered as unknown, another authority's list is refused", async () => {
    const [byId] = expectGraphQLErrors(
      await gw.post(READ_TRANSFER, { id: transferId }, await gw.as(otherCountyAuditor)),
    );
    expect(byId?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    const [listed] = expectGraphQLErrors(
      await gw.post(TRANSFERS, { code: MARKET_REGULATION }, await gw.as(otherCountyAuditor)),
    );
    expect(listed?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'not-a-party' });
  });

  it('reads no sharing request it is no party to, nor their overdue counts', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{ sharingRequest: unknown; sharingRequests: unknown[]; overdueSharingRequests: unknown[] }>(
        SHARING,
        { id: sharingRequestId },
        await gw.as(otherCountyAuditor),
      ),
    );
    expect(data).toEqual({ sharingRequest: null, sharingRequests: [], overdueSharingRequests: [] });
  });
});

describe("the county's own auditor", () => {
  it('reads the access log, any transfer and any sharing request', async () => {
    const auditor = await gw.as('auditor');
    expect(
      expectNoGraphQLErrors(await gw.post<{ accessLog: { entries: unknown[] } }>(ACCESS_LOG, {}, auditor)).accessLog
        .entries.length,
    ).toBeGreaterThan(0);
    expect(
      expectNoGraphQLErrors(
        await gw.post<{ transfers: Array<{ id: string }> }>(TRANSFERS, { code: MARKET_REGULATION }, auditor),
      ).transfers.map((transfer) => transfer.id),
    ).toContain(transferId);
    const sharing = expectNoGraphQLErrors(
      await gw.post<{ sharingRequest: { id: string } | null }>(SHARING, { id: sharingRequestId }, auditor),
    );
    expect(sharing.sharingRequest?.id).toBe(sharingRequestId);
  });
});
