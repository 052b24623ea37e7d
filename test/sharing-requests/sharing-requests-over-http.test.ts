import { SharingRequestStore } from '../../src/modules/sharing-requests/sharing-request-store.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDemoToken } from '../../src/auth/demo-issuer.ts';
import { findDemoPreset } from '../../src/auth/demo-presets.ts';
import { chinaToday } from '../../src/domain/china-time.ts';
import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const MATTER = '核查 瑞综执立〔2026〕777号';
const SUBMIT = `mutation ($input: SharingRequestInput!) { submitSharingRequest(input: $input) {
  id status answerDueOn overdue consumerAuthorityCode ownerAuthorityCode fields matters history { seq kind actor authorityCode } } }`;
const ANSWER = `mutation ($input: SharingRequestAnswerInput!) { answerSharingRequest(input: $input) {
  id status grantedFields answerReason grantId answeredLate history { seq kind authorityCode reason fields } } }`;
const ID_NUMBER = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`;

interface Submitted {
  submitSharingRequest: {
    id: string;
    status: string;
    answerDueOn: string;
    overdue: boolean;
    history: Array<{ kind: string }>;
  };
}
interface Answered {
  answerSharingRequest: {
    id: string;
    status: string;
    grantedFields: string[];
    answerReason: string | null;
    grantId: string | null;
    answeredLate: boolean;
    history: Array<{ kind: string; reason: string | null; fields: string[] }>;
  };
}

let gw: TestGateway;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-sharing-'));
  gw = await startTestGateway({ authRequired: true, dataDir });
});
afterAll(async () => {
  await gw?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** The county enforcement bureau's officer (the consumer), optionally working on a matter. */
async function consumer(purpose?: string): Promise<Record<string, string>> {
  return gw.as('county-enforcement', purpose);
}

/** An administrator of the county approval bureau, which owns the approval system's data: the README's "Answer" caller. */
async function ownerAdmin(): Promise<Record<string, string>> {
  return gw.as('approval-admin');
}

/** An administrator of the county enforcement bureau: the consumer's own administrator. */
async function consumerAdmin(): Promise<Record<string, string>> {
  const preset = {
    ...findDemoPreset('county-enforcement')!,
    subject: 'demo-enforcement-admin',
    roles: ['ADMIN' as const],
  };
  return { authorization: `Bearer ${await signDemoToken(preset, { dataDir })}` };
}

const CREATE_GRANT = `mutation ($input: GrantInput!) { createGrant(input: $input) { id ownerSystem } }`;
const REVOKE_GRANT = `mutation ($id: ID!) { revokeGrant(id: $id, reason: "不再需要") { outcome } }`;

/** A direct grant of what `requestInput` asks for, to the county enforcement bureau. */
function directGrantInput(overrides: Record<string, unknown> = {}) {
  return {
    ...requestInput(),
    ownerAuthorityCode: undefined,
    legalBasis: undefined,
    consumerAuthorityCode: '330381-ZHZFJ',
    ...overrides,
  };
}

function requestInput(overrides: Record<string, unknown> = {}) {
  return {
    ownerSystem: 'APPROVAL',
    ownerAuthorityCode: '330381-XZSPJ',
    fields: ['LegalRepresentative.idNumber', 'LegalRepresentative.phone'],
    purpose: '案件调查中核实法定代表人身份',
    matters: [MATTER],
    legalBasis: '《中华人民共和国行政处罚法》第五十五条：执法人员调查取证',
    validFrom: '2026-01-01T00:00:00+08:00',
    validUntil: '2027-01-01T00:00:00+08:00',
    ...overrides,
  };
}

async function submit(overrides: Record<string, unknown> = {}) {
  return expectNoGraphQLErrors(await gw.post<Submitted>(SUBMIT, { input: requestInput(overrides) }, await consumer()))
    .submitSharingRequest;
}

async function idNumberSeen(purpose: string): Promise<string> {
  const enterprise = gw.world.enterprises[0]!;
  const data = expectNoGraphQLErrors(
    await gw.post<{ subject: { legalRepresentative: { idNumber: string } } }>(
      ID_NUMBER,
      { u: enterprise.uscc },
      await consumer(purpose),
    ),
  );
  return data.subject.legalRepresentative.idNumber;
}

describe('a sharing request approved', () => {
  it('is due in ten working days, and its approval creates a grant bound to the matters asked for, recorded as from the request', async () => {
    const request = await submit();
    expect(request).toMatchObject({ status: 'PENDING', overdue: false, history: [{ kind: 'SUBMITTED' }] });
    expect(request.answerDueOn).toBe(loadWorkingDayCalendar().addWorkingDays(chinaToday(), 10));
    const clear = gw.world.enterprises[0]!.legalRepIdNumber;
    expect(await idNumberSeen(MATTER)).not.toBe(clear);

    const answered = expectNoGraphQLErrors(
      await gw.post<Answered>(ANSWER, { input: { id: request.id, decision: 'APPROVE' } }, await ownerAdmin()),
    ).answerSharingRequest;
    expect(answered).toMatchObject({
      status: 'APPROVED',
      answeredLate: false,
      grantedFields: ['LegalRepresentative.idNumber', 'LegalRepresentative.phone'],
    });
    expect(answered.history.map((step) => step.kind)).toEqual(['SUBMITTED', 'APPROVED']);
    expect(answered.grantId).not.toBeNull();

    expect(await idNumberSeen(MATTER)).toBe(clear);
    expect(await idNumberSeen('another-matter')).not.toBe(clear);

    const grants = expectNoGraphQLErrors(
      await gw.post<{
        grants: Array<{
          id: string;
          origin: string;
          sharingRequestId: string | null;
          matters: string[];
          consumerAuthorityCode: string;
        }>;
      }>(`{ grants { id origin sharingRequestId matters consumerAuthorityCode } }`, undefined, await ownerAdmin()),
    ).grants;
    expect(grants.find((grant) => grant.id === answered.grantId)).toEqual({
      id: answered.grantId,
      origin: 'SHARING_REQUEST',
      sharingRequestId: request.id,
      matters: [MATTER],
      consumerAuthorityCode: '330381-ZHZFJ',
    });
    await gw.gateway.grants!.revoke(answered.grantId!, 'test', 'test over');
  });

  it('tells both sides by event, once per step', async () => {
    const request = await submit();
    const answered = expectNoGraphQLErrors(
      await gw.post<Answered>(ANSWER, { input: { id: request.id, decision: 'APPROVE' } }, await ownerAdmin()),
    );
    await gw.gateway.grants!.revoke(answered.answerSharingRequest.grantId!, 'test', 'test over');
    const events = await gw.gateway.store.prisma.outboxEvent.findMany({
      where: { subjectUscc: `sharing-request:${request.id}` },
      orderBy: { seq: 'asc' },
    });
    expect(events.map((event) => ({ kind: event.kind, concerns: [...event.concerns].sort() }))).toEqual([
      { kind: 'SHARING_REQUEST_SUBMITTED', concerns: ['330381-XZSPJ', '330381-ZHZFJ'] },
      { kind: 'SHARING_REQUEST_ANSWERED', concerns: ['330381-XZSPJ', '330381-ZHZFJ'] },
    ]);
    expect(events[1]?.payload).toMatchObject({ sharingRequestId: request.id, status: 'APPROVED' });
  });

  it('grants only the fields named when approved in part, with the reason kept', async () => {
    const request = await submit();
    const answered = expectNoGraphQLErrors(
      await gw.post<Answered>(
        ANSWER,
        {
          input: {
            id: request.id,
            decision: 'APPROVE_IN_PART',
            fields: ['LegalRepresentative.phone'],
            reason: '身份证号码不属于本案调查所必需',
          },
        },
        await ownerAdmin(),
      ),
    ).answerSharingRequest;
    expect(answered).toMatchObject({
      status: 'PARTIALLY_APPROVED',
      grantedFields: ['LegalRepresentative.phone'],
      answerReason: '身份证号码不属于本案调查所必需',
    });
    const grant = (await gw.gateway.grants!.list()).find((g) => g.id === answered.grantId);
    expect(grant?.fields).toEqual(['LegalRepresentative.phone']);
    await gw.gateway.grants!.revoke(answered.grantId!, 'test', 'test over');
  });

  it('still lets an administrator create a grant directly, recorded as such', async () => {
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string; origin: string; sharingRequestId: string | null } }>(
        `mutation ($input: GrantInput!) { createGrant(input: $input) { id origin sharingRequestId } }`,
        {
          input: {
            ...requestInput(),
            ownerAuthorityCode: undefined,
            legalBasis: undefined,
            consumerAuthorityCode: '330381-ZHZFJ',
          },
        },
        await gw.as('admin'),
      ),
    ).createGrant;
    expect(created).toMatchObject({ origin: 'DIRECT', sharingRequestId: null });
    await gw.gateway.grants!.revoke(created.id, 'test', 'test over');
  });
});

describe('a sharing request rejected', () => {
  it('needs a reason, grants nothing, keeps the reason in its history, and cannot be answered twice', async () => {
    const request = await submit();
    const [noReason] = expectGraphQLErrors(
      await gw.post(ANSWER, { input: { id: request.id, decision: 'REJECT' } }, await ownerAdmin()),
    );
    expect(noReason?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: ['reason: a rejection must state its reason'],
    });
    // A reason a reader would see nothing in (a zero-width space, a Hangul filler) states none.
    const [invisibleReason] = expectGraphQLErrors(
      await gw.post(
        ANSWER,
        { input: { id: request.id, decision: 'REJECT', reason: ' \u200B\u3164 ' } },
        await ownerAdmin(),
      ),
    );
    expect(invisibleReason?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      problems: ['reason: a rejection must state its reason'],
    });

    const rejected = expectNoGraphQLErrors(
      await gw.post<Answered>(
        ANSWER,
        { input: { id: request.id, decision: 'REJECT', reason: '所述法律依据不涉及身份证号码' } },
        await ownerAdmin(),
      ),
    ).answerSharingRequest;
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      grantId: null,
      grantedFields: [],
      answerReason: '所述法律依据不涉及身份证号码',
    });
    expect(rejected.history.at(-1)).toMatchObject({ kind: 'REJECTED', reason: '所述法律依据不涉及身份证号码' });
    expect(await idNumberSeen(MATTER)).not.toBe(gw.world.enterprises[0]!.legalRepIdNumber);

    const [again] = expectGraphQLErrors(
      await gw.post(ANSWER, { input: { id: request.id, decision: 'APPROVE' } }, await ownerAdmin()),
    );
    expect(again?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'already_answered' });
  });

  it("is answered by the owning authority only: another authority's administrator is told it does not exist", async () => {
    const request = await submit();
    const [error] = expectGraphQLErrors(
      await gw.post(ANSWER, { input: { id: request.id, decision: 'APPROVE' } }, await gw.as('admin')),
    );
    expect(error?.extensions?.code).toBe('NOT_FOUND');
    const read = await gw.post<{ sharingRequest: null }>(
      `query ($id: ID!) { sharingRequest(id: $id) { id } }`,
      { id: request.id },
      await gw.as('township-officer'),
    );
    expect(expectNoGraphQLErrors(read).sharingRequest).toBeNull();
  });
});

describe("an owner whose jurisdiction is narrower than the consumer's", () => {
  /** An administrator of the Anyang street team: it owns enforcement data of one township only. */
  const townshipAdmin = () =>
    gw.as({ ...findDemoPreset('township-officer')!, subject: 'demo-township-admin', roles: ['ADMIN'] });
  const enforcementFields = { ownerSystem: 'ENFORCEMENT', fields: ['Penalty.executionStatus'] };

  it("is not asked for a sharing request, whose grant would open the county's records to the consumer", async () => {
    const before = await gw.gateway.store.prisma.sharingRequest.count();
    const [error] = expectGraphQLErrors(
      await gw.post(
        SUBMIT,
        { input: requestInput({ ...enforcementFields, ownerAuthorityCode: '330381001-ZFD' }) },
        await gw.as('permit-officer'),
      ),
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((error?.extensions?.problems as string[]).join('\n')).toContain(
      "ownerAuthorityCode: 330381001-ZFD's jurisdiction (330381001) does not cover the consumer's (330381)",
    );
    expect(await gw.gateway.store.prisma.sharingRequest.count()).toBe(before);
  });

  it('cannot approve a request stored before that check, addressed to it by a county consumer, and grants nothing', async () => {
    const township = findDemoPreset('township-officer')!;
    const stored = await new SharingRequestStore(gw.gateway.store.prisma).create({
      consumerAuthorityCode: '330381-ZHZFJ',
      consumerAuthorityKind: 'COUNTY_ENFORCEMENT_BUREAU',
      ownerSystem: 'enforcement',
      ownerAuthorityCode: township.authorityCode,
      fields: ['Penalty.executionStatus'],
      purpose: '核查',
      matters: [MATTER],
      matterPrefixes: [],
      roles: [],
      legalBasis: '《行政处罚法》',
      validFrom: new Date('2026-01-01T00:00:00+08:00'),
      validUntil: new Date('2027-01-01T00:00:00+08:00'),
      submittedBy: 'officer@330381-ZHZFJ',
      answerDueOn: '2026-12-31',
    });
    const grantsBefore = await gw.gateway.store.prisma.grant.count();
    const [error] = expectGraphQLErrors(
      await gw.post(ANSWER, { input: { id: stored.id, decision: 'APPROVE' } }, await townshipAdmin()),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'beyond-jurisdiction' });
    expect(await gw.gateway.store.prisma.grant.count()).toBe(grantsBefore);
  });

  it("cannot grant its system's data to a consumer beyond its jurisdiction, or to a whole kind", async () => {
    const before = await gw.gateway.store.prisma.grant.count();
    for (const consumer of [{ consumerAuthorityCode: '330381-XZSPJ' }, { consumerAuthorityKind: 'APPROVAL_BUREAU' }]) {
      const input = directGrantInput({ ...enforcementFields, consumerAuthorityCode: undefined, ...consumer });
      const [error] = expectGraphQLErrors(await gw.post(CREATE_GRANT, { input }, await townshipAdmin()));
      expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'beyond-jurisdiction' });
    }
    expect(await gw.gateway.store.prisma.grant.count()).toBe(before);
  });

  it('cannot revoke a grant of its system to a consumer beyond its jurisdiction', async () => {
    const input = directGrantInput({ ...enforcementFields, consumerAuthorityCode: '330381-XZSPJ' });
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input }, await gw.as('admin')),
    ).createGrant;
    const [error] = expectGraphQLErrors(await gw.post(REVOKE_GRANT, { id: created.id }, await townshipAdmin()));
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'beyond-jurisdiction' });
    expect((await gw.gateway.grants!.find(created.id))?.revokedAt).toBeNull();
    await gw.gateway.grants!.revoke(created.id, 'test', 'test over');
  });

  // A grant has no place: a penalty's execution granted to the team would open every township's.
  it("cannot grant even its own authority a field read on every township's rows, and stores nothing", async () => {
    const before = await gw.gateway.store.prisma.grant.count();
    const input = directGrantInput({ ...enforcementFields, consumerAuthorityCode: '330381001-ZFD' });
    const [error] = expectGraphQLErrors(await gw.post(CREATE_GRANT, { input }, await townshipAdmin()));
    expect(error?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      rule: 'beyond-jurisdiction',
      fields: ['Penalty.executionStatus'],
    });
    expect(error?.message).toContain('a grant has no place, and Penalty.executionStatus would be read under it');
    expect(await gw.gateway.store.prisma.grant.count()).toBe(before);
  });

  it("still grants its own authority fields of cases and clues, which are answered within the consumer's jurisdiction", async () => {
    const input = directGrantInput({
      ownerSystem: 'ENFORCEMENT',
      fields: ['Case.lenientHandling', 'Clue.source'],
      consumerAuthorityCode: '330381001-ZFD',
    });
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input }, await townshipAdmin()),
    ).createGrant;
    await gw.gateway.grants!.revoke(created.id, 'test', 'test over');
  });

  it('may still revoke a grant within its township of a field it could not give: revoking only narrows', async () => {
    const input = directGrantInput({ ...enforcementFields, consumerAuthorityCode: '330381001-ZFD' });
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input }, await gw.as('admin')),
    ).createGrant;
    const revoked = await gw.post<{ revokeGrant: { outcome: string } }>(
      REVOKE_GRANT,
      { id: created.id },
      await townshipAdmin(),
    );
    expect(expectNoGraphQLErrors(revoked).revokeGrant.outcome).toBe('REVOKED');
    expect((await gw.gateway.grants!.find(created.id))?.revokedAt).not.toBeNull();
  });

  it("approves a request only for the fields answered within the consumer's jurisdiction, granting nothing else", async () => {
    // The team is the only authority within its township: a request it stored to itself stands for any such consumer.
    const township = findDemoPreset('township-officer')!;
    const stored = await new SharingRequestStore(gw.gateway.store.prisma).create({
      consumerAuthorityCode: township.authorityCode,
      consumerAuthorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
      ownerSystem: 'enforcement',
      ownerAuthorityCode: township.authorityCode,
      fields: ['Case.lenientHandling', 'Penalty.executionStatus'],
      purpose: '核查',
      matters: [MATTER],
      matterPrefixes: [],
      roles: [],
      legalBasis: '《行政处罚法》',
      validFrom: new Date('2026-01-01T00:00:00+08:00'),
      validUntil: new Date('2027-01-01T00:00:00+08:00'),
      submittedBy: 'officer@330381001-ZFD',
      answerDueOn: '2026-12-31',
    });
    const grantsBefore = await gw.gateway.store.prisma.grant.count();
    const [error] = expectGraphQLErrors(
      await gw.post(ANSWER, { input: { id: stored.id, decision: 'APPROVE' } }, await townshipAdmin()),
    );
    expect(error?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      rule: 'beyond-jurisdiction',
      fields: ['Penalty.executionStatus'],
    });
    expect(await gw.gateway.store.prisma.grant.count()).toBe(grantsBefore);

    const answered = expectNoGraphQLErrors(
      await gw.post<Answered>(
        ANSWER,
        {
          input: {
            id: stored.id,
            decision: 'APPROVE_IN_PART',
            fields: ['Case.lenientHandling'],
            reason: '处罚执行情况涉及其他乡镇，请向县综合行政执法局申请',
          },
        },
        await townshipAdmin(),
      ),
    ).answerSharingRequest;
    expect(answered).toMatchObject({ status: 'PARTIALLY_APPROVED', grantedFields: ['Case.lenientHandling'] });
    await gw.gateway.grants!.revoke(answered.grantId!, 'test', 'test over');
  });
});

describe("a township team asking for its own system's data beyond its township", () => {
  it('submits a sharing request to the county enforcement bureau, since it reads penalties as their owner only in its township', async () => {
    const request = expectNoGraphQLErrors(
      await gw.post<Submitted>(
        SUBMIT,
        {
          input: requestInput({
            ownerSystem: 'ENFORCEMENT',
            ownerAuthorityCode: '330381-ZHZFJ',
            fields: ['Penalty.executionStatus'],
          }),
        },
        await gw.as('township-officer'),
      ),
    ).submitSharingRequest;
    expect(request).toMatchObject({ status: 'PENDING', consumerAuthorityCode: '330381001-ZFD' });
  });
});

describe('a period that has already ended', () => {
  const ended = { validFrom: '2020-01-01T00:00:00+08:00', validUntil: '2020-02-01T00:00:00+08:00' };

  it('is refused in a sharing request, naming it, and nothing is stored', async () => {
    const before = await gw.gateway.store.prisma.sharingRequest.count();
    const [error] = expectGraphQLErrors(await gw.post(SUBMIT, { input: requestInput(ended) }, await consumer()));
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.extensions?.problems).toContain(
      'validUntil: 2020-02-01T00:00:00+08:00 has already passed; a period that has ended grants nothing',
    );
    expect(await gw.gateway.store.prisma.sharingRequest.count()).toBe(before);
  });

  it('is refused in a direct grant, beside every other problem of it', async () => {
    const before = await gw.gateway.store.prisma.grant.count();
    const [error] = expectGraphQLErrors(
      await gw.post(CREATE_GRANT, { input: directGrantInput({ ...ended, matters: [] }) }, await gw.as('admin')),
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const problems = (error?.extensions?.problems as string[]).join('\n');
    expect(problems).toContain('validUntil: 2020-02-01T00:00:00+08:00 has already passed');
    expect(problems).toContain('name the matters the grant covers');
    expect(await gw.gateway.store.prisma.grant.count()).toBe(before);
  });
});

describe('submitting a sharing request', () => {
  it.each([
    ['an authority nobody knows', 'NO-SUCH-AUTHORITY', 'ownerAuthorityCode: no authority NO-SUCH-AUTHORITY is known'],
    [
      'an authority that does not own the system',
      '330381-SCJGJ',
      "ownerAuthorityCode: 330381-SCJGJ (瑞安市市场监督管理局) does not own the approval system's data",
    ],
    ['a code far longer than any', 'X'.repeat(200), 'ownerAuthorityCode: at most 64 characters'],
  ])('refuses one addressed to %s, which could never be answered, and stores nothing', async (_, code, problem) => {
    const before = await gw.gateway.store.prisma.sharingRequest.count();
    const [error] = expectGraphQLErrors(
      await gw.post(SUBMIT, { input: requestInput({ ownerAuthorityCode: code }) }, await consumer()),
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((error?.extensions?.problems as string[]).join('\n')).toContain(problem);
    expect(await gw.gateway.store.prisma.sharingRequest.count()).toBe(before);
  });

  it('refuses a request without legal basis or matter, for fields the owner cannot share, naming every problem', async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(
        SUBMIT,
        { input: requestInput({ legalBasis: '  ', matters: [], fields: ['Subject.name'] }) },
        await consumer(),
      ),
    );
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const problems = (error?.extensions?.problems as string[]).join('\n');
    expect(problems).toContain('legalBasis: required');
    expect(problems).toContain('name the matters the grant covers');
    expect(problems).toContain('Subject.name is shared unconditionally');
  });
});

describe('grants made directly, beside sharing requests', () => {
  it("are refused to the consumer's own administrator, so an owner's refusal cannot be overruled by a grant to oneself", async () => {
    const request = await submit();
    expectNoGraphQLErrors(
      await gw.post(ANSWER, { input: { id: request.id, decision: 'REJECT', reason: '不予共享' } }, await ownerAdmin()),
    );
    const [error] = expectGraphQLErrors(
      await gw.post(CREATE_GRANT, { input: directGrantInput() }, await consumerAdmin()),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'not-the-owner' });
    expect(await gw.gateway.grants!.list({ consumerAuthorityCode: '330381-ZHZFJ', includeRevoked: false })).toEqual([]);
    expect(await idNumberSeen(MATTER)).not.toBe(gw.world.enterprises[0]!.legalRepIdNumber);
  });

  it("are made by the owner's administrator for its own system's data, and by the gateway's operator for any", async () => {
    for (const headers of [await ownerAdmin(), await gw.as('admin')]) {
      const created = expectNoGraphQLErrors(
        await gw.post<{ createGrant: { id: string; ownerSystem: string } }>(
          CREATE_GRANT,
          { input: directGrantInput() },
          headers,
        ),
      ).createGrant;
      expect(created.ownerSystem).toBe('APPROVAL');
      await gw.gateway.grants!.revoke(created.id, 'test', 'test over');
    }
  });

  it("cannot be revoked by another agency's administrator, only by the owner's or the operator's", async () => {
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input: directGrantInput() }, await gw.as('admin')),
    ).createGrant;
    const [error] = expectGraphQLErrors(await gw.post(REVOKE_GRANT, { id: created.id }, await consumerAdmin()));
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'not-the-owner' });
    expect(await idNumberSeen(MATTER)).toBe(gw.world.enterprises[0]!.legalRepIdNumber);

    const revoked = await gw.post<{ revokeGrant: { outcome: string } }>(
      REVOKE_GRANT,
      { id: created.id },
      await ownerAdmin(),
    );
    expect(expectNoGraphQLErrors(revoked).revokeGrant.outcome).toBe('REVOKED');
  });

  it('are answered NOT_FOUND, as an unknown id is, to an administrator who may not see them', async () => {
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input: directGrantInput() }, await gw.as('admin')),
    ).createGrant;
    try {
      // The credit centre neither owns the approval system nor is the grant's consumer.
      const preset = { ...findDemoPreset('credit-platform')!, subject: 'demo-credit-admin', roles: ['ADMIN' as const] };
      const creditAdmin = { authorization: `Bearer ${await signDemoToken(preset, { dataDir })}` };
      const hidden = await gw.post<{ revokeGrant: { outcome: string } }>(REVOKE_GRANT, { id: created.id }, creditAdmin);
      const unknown = await gw.post<{ revokeGrant: { outcome: string } }>(
        REVOKE_GRANT,
        { id: '00000000-0000-4000-8000-000000000000' },
        creditAdmin,
      );
      expect(hidden.body).toEqual(unknown.body);
      expect(expectNoGraphQLErrors(hidden).revokeGrant.outcome).toBe('NOT_FOUND');
      expect((await gw.gateway.grants!.find(created.id))?.revokedAt).toBeNull();
    } finally {
      await gw.gateway.grants!.revoke(created.id, 'test', 'test over');
    }
  });

  it("are listed to an agency's administrator only when of its own system's data or addressed to its authority", async () => {
    const toCreditCentre = directGrantInput({ consumerAuthorityCode: '330381-XYZX' });
    const made = [];
    for (const input of [toCreditCentre, directGrantInput()]) {
      made.push(
        expectNoGraphQLErrors(
          await gw.post<{ createGrant: { id: string } }>(CREATE_GRANT, { input }, await gw.as('admin')),
        ).createGrant.id,
      );
    }
    const [othersAgreement, addressedToIt] = made;
    const listed = async (headers: Record<string, string>) =>
      expectNoGraphQLErrors(
        await gw.post<{ grants: Array<{ id: string }> }>('{ grants { id } }', undefined, headers),
      ).grants.map((grant) => grant.id);

    const seenByConsumer = await listed(await consumerAdmin());
    expect(seenByConsumer).toContain(addressedToIt);
    expect(seenByConsumer).not.toContain(othersAgreement);
    expect(await listed(await ownerAdmin())).toEqual(expect.arrayContaining(made));
    expect(await listed(await gw.as('admin'))).toEqual(expect.arrayContaining(made));
    for (const id of made) await gw.gateway.grants!.revoke(id!, 'test', 'test over');
  });
});
