import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaToday } from '../../src/domain/china-time.ts';
import { loadWorkingDayCalendar } from '../../src/platform/holiday-calendar-file.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import {
  ANYANG,
  ANYANG_TEAM,
  EXTEND,
  MARKET_REGULATION,
  READ_TRANSFER,
  REPORT_STEP,
  TRANSFER_CLUE,
  anyangClue,
  countyRetainedItem,
  reportStep,
  sendClue,
  type TransferView,
} from './transfer-fixtures.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const calendar = loadWorkingDayCalendar();

function clueInput(index = 0, extra: Record<string, unknown> = {}) {
  const { subject, powerItemCode } = anyangClue(gw.world, index);
  return {
    subject,
    powerItemCode,
    findings: '现场检查发现超过保质期的食品仍在销售',
    evidenceRefs: ['JC-EVID-2026-0001', '现场照片3张'],
    inspectionId: null,
    ...extra,
  };
}

describe('a clue transferred from an industry department to a township team', () => {
  it('goes to the authority the power list names for that item in the subject township', async () => {
    const { transfer, step, replayed } = await sendClue(gw, clueInput(0));
    expect(replayed).toBe(false);
    expect(step).toEqual({ seq: 1, kind: 'SENT' });
    expect(transfer).toMatchObject({
      status: 'SENT',
      senderCode: MARKET_REGULATION,
      receiverCode: ANYANG_TEAM,
      routedBy: 'DELEGATED',
      sender: { name: '瑞安市市场监督管理局' },
      receiver: { name: '瑞安市安阳街道综合行政执法队', kind: 'TOWNSHIP_ENFORCEMENT_TEAM' },
      receivedOn: chinaToday(),
      answerDueOn: calendar.addWorkingDays(chinaToday(), 5),
      extended: false,
      overdue: false,
    });
  });

  it('follows the whole life cycle the receiver reports, and the sender reads every step', async () => {
    const { transfer } = await sendClue(gw, clueInput(1));
    const id = transfer.id;
    await reportStep(gw, { transferId: id, step: 'RECEIVED' });
    const accepted = await reportStep(gw, { transferId: id, step: 'ACCEPTED', note: '已指派执法人员' });
    expect(accepted.transfer).toMatchObject({
      status: 'ACCEPTED',
      answeredOn: chinaToday(),
      workingDaysToAnswer: calendar.workingDaysBetween(chinaToday(), chinaToday()),
    });
    await reportStep(gw, { transferId: id, step: 'CASE_FILED', caseNo: '瑞综执立〔2026〕901号' });
    await reportStep(gw, { transferId: id, step: 'DECIDED', decisionNo: '瑞综执罚决字〔2026〕第901号' });
    await reportStep(gw, { transferId: id, step: 'EXECUTED' });
    await reportStep(gw, { transferId: id, step: 'CLOSED' });

    const data = expectNoGraphQLErrors(
      await gw.post<{ transfer: TransferView }>(READ_TRANSFER, { id }, await gw.as('industry-inspector')),
    );
    expect(data.transfer).toMatchObject({
      status: 'CLOSED',
      caseNo: '瑞综执立〔2026〕901号',
      decisionNo: '瑞综执罚决字〔2026〕第901号',
    });
    expect(data.transfer.history.map((s) => [s.seq, s.kind, s.fromStatus, s.toStatus])).toEqual([
      [1, 'SENT', null, 'SENT'],
      [2, 'RECEIVED', 'SENT', 'RECEIVED'],
      [3, 'ACCEPTED', 'RECEIVED', 'ACCEPTED'],
      [4, 'CASE_FILED', 'ACCEPTED', 'CASE_FILED'],
      [5, 'DECIDED', 'CASE_FILED', 'DECIDED'],
      [6, 'EXECUTED', 'DECIDED', 'EXECUTED'],
      [7, 'CLOSED', 'EXECUTED', 'CLOSED'],
    ]);
    expect(data.transfer.history[0]).toMatchObject({
      authorityCode: MARKET_REGULATION,
      actor: 'demo-industry-inspector',
    });
    expect(
      data.transfer.history
        .slice(1)
        .every((s) => s.authorityCode === ANYANG_TEAM && s.actor === 'demo-township-officer'),
    ).toBe(true);
  });

  it('records a return with its reason, and nothing can follow it', async () => {
    const { transfer } = await sendClue(gw, clueInput(2));
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' });
    const returned = await reportStep(gw, { transferId: transfer.id, step: 'RETURNED', reason: '不属于本单位管辖' });
    expect(returned.step).toMatchObject({ kind: 'RETURNED', reason: '不属于本单位管辖' });
    const errors = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'ACCEPTED' }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      from: 'RETURNED',
      to: 'ACCEPTED',
      allowed: [],
    });
  });

  it('lists the transfers an authority sent and the ones it received, and no one else', async () => {
    const { transfer } = await sendClue(gw, clueInput(19));
    const query = `query ($role: TransferPartyRole) { transfers(filter: { role: $role, first: 200 }) { id senderCode receiverCode } }`;
    type Listed = { transfers: Array<{ id: string; senderCode: string; receiverCode: string }> };
    const sent = expectNoGraphQLErrors(
      await gw.post<Listed>(query, { role: 'SENT' }, await gw.as('industry-inspector')),
    ).transfers;
    const received = expectNoGraphQLErrors(
      await gw.post<Listed>(query, { role: 'RECEIVED' }, await gw.as('township-officer')),
    ).transfers;
    const elsewhere = expectNoGraphQLErrors(await gw.post<Listed>(query, {}, await gw.as('credit-platform'))).transfers;
    expect(sent.map((t) => t.id)).toContain(transfer.id);
    expect(received.map((t) => t.id)).toContain(transfer.id);
    expect(elsewhere.map((t) => t.id)).not.toContain(transfer.id);
    expect(sent.every((t) => t.senderCode === MARKET_REGULATION)).toBe(true);
    expect(received.every((t) => t.receiverCode === ANYANG_TEAM)).toBe(true);
  });

  it('lists another authority transfers to an auditor only', async () => {
    const { transfer } = await sendClue(gw, clueInput(24));
    const query = `query ($code: String) { transfers(filter: { authorityCode: $code }) { id } }`;
    const audited = expectNoGraphQLErrors(
      await gw.post<{ transfers: Array<{ id: string }> }>(query, { code: MARKET_REGULATION }, await gw.as('auditor')),
    );
    expect(audited.transfers.map((t) => t.id)).toContain(transfer.id);
    const refused = expectGraphQLErrors(
      await gw.post(query, { code: MARKET_REGULATION }, await gw.as('county-enforcement')),
    );
    expect(refused[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'not-a-party' });
  });
});

describe('moves the state machine refuses', () => {
  it('refuses accepting a clue not yet acknowledged, naming from and to', async () => {
    const { transfer } = await sendClue(gw, clueInput(3));
    const errors = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'ACCEPTED' }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({
      code: 'ILLEGAL_TRANSITION',
      from: 'SENT',
      to: 'ACCEPTED',
      allowed: ['RECEIVED'],
    });
  });

  it('refuses deciding a case that was never filed, and leaves the transfer as it was', async () => {
    const { transfer } = await sendClue(gw, clueInput(4));
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' });
    await reportStep(gw, { transferId: transfer.id, step: 'ACCEPTED' });
    const errors = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'DECIDED', decisionNo: 'X' }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'ILLEGAL_TRANSITION', from: 'ACCEPTED', to: 'DECIDED' });
    const data = expectNoGraphQLErrors(
      await gw.post<{ transfer: TransferView }>(READ_TRANSFER, { id: transfer.id }, await gw.as('industry-inspector')),
    );
    expect(data.transfer.status).toBe('ACCEPTED');
    expect(data.transfer.history).toHaveLength(3);
  });

  it('refuses a return without a reason and a filed case without its number', async () => {
    const { transfer } = await sendClue(gw, clueInput(5));
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' });
    const noReason = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'RETURNED' }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(noReason[0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'MISSING_DETAILS',
      missing: ['reason'],
    });
    await reportStep(gw, { transferId: transfer.id, step: 'ACCEPTED' });
    const noCaseNo = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'CASE_FILED' }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(noCaseNo[0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'MISSING_DETAILS',
      missing: ['caseNo'],
    });
  });

  it.each([
    ['spaces', '  '],
    ['a zero-width space between spaces, which shows nothing', ' \u200B '],
  ])('refuses a return, and a filed case, whose required text is only %s, as blank', async (_, blank) => {
    const { transfer } = await sendClue(gw, clueInput(5));
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' });
    const report = async (input: Record<string, unknown>) =>
      expectGraphQLErrors(
        await gw.post(
          REPORT_STEP,
          { input: { transferId: transfer.id, ...input }, key: randomUUID() },
          await gw.as('township-officer'),
        ),
      );
    const [returned] = await report({ step: 'RETURNED', reason: blank });
    expect(returned!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', field: 'reason' });
    expect(returned!.message).toBe('reason must not be blank.');
    await reportStep(gw, { transferId: transfer.id, step: 'ACCEPTED' });
    const [filed] = await report({ step: 'CASE_FILED', caseNo: blank });
    expect(filed!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', field: 'caseNo' });
    const data = expectNoGraphQLErrors(
      await gw.post<{ transfer: TransferView }>(READ_TRANSFER, { id: transfer.id }, await gw.as('industry-inspector')),
    );
    expect(data.transfer.status).toBe('ACCEPTED');
  });

  it('holds a case number to a matter reference’s 100 characters, since readers state it as their purpose', async () => {
    const { transfer } = await sendClue(gw, clueInput(3));
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' });
    await reportStep(gw, { transferId: transfer.id, step: 'ACCEPTED' });
    const caseNo = `瑞综执立〔2026〕${'9'.repeat(90)}号`;
    expect([...caseNo].length).toBe(101);
    const [tooLong] = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'CASE_FILED', caseNo }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(tooLong!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', field: 'caseNo' });
    expect(tooLong!.message).toBe('caseNo is longer than 100 characters.');
    const filed = await reportStep(gw, { transferId: transfer.id, step: 'CASE_FILED', caseNo: caseNo.slice(1) });
    expect(filed.transfer).toMatchObject({ status: 'CASE_FILED', caseNo: caseNo.slice(1) });
  });
});

describe('who may report and read', () => {
  it('lets only the receiver report steps, not the sender', async () => {
    const { transfer } = await sendClue(gw, clueInput(6));
    const errors = expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'RECEIVED' }, key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'receiver-only' });
  });

  it('answers a third authority about the transfer exactly as about one that does not exist, reading or reporting', async () => {
    const { transfer } = await sendClue(gw, clueInput(7));
    const third = await gw.as('county-enforcement');
    const nowhere = randomUUID();
    const asIfAbsent = (errors: ReturnType<typeof expectGraphQLErrors>) =>
      JSON.stringify(errors).replaceAll(nowhere, transfer.id);
    const read = await gw.post<{ transfer: TransferView | null }>(READ_TRANSFER, { id: transfer.id }, third);
    expect(read.body.data?.transfer ?? null).toBeNull();
    const readNowhere = await gw.post(READ_TRANSFER, { id: nowhere }, third);
    expect(JSON.stringify(expectGraphQLErrors(read))).toBe(asIfAbsent(expectGraphQLErrors(readNowhere)));
    expect(expectGraphQLErrors(read)[0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(JSON.stringify(read.body)).not.toContain('超过保质期');
    const report = (transferId: string) =>
      gw.post(REPORT_STEP, { input: { transferId, step: 'RECEIVED' }, key: randomUUID() }, third);
    const step = expectGraphQLErrors(await report(transfer.id));
    expect(JSON.stringify(step)).toBe(asIfAbsent(expectGraphQLErrors(await report(nowhere))));
    expect(JSON.stringify(step)).not.toContain(ANYANG_TEAM);
    const extend = (id: string) => gw.post(EXTEND, { id, reason: '需要补充材料', key: randomUUID() }, third);
    expect(JSON.stringify(expectGraphQLErrors(await extend(transfer.id)))).toBe(
      asIfAbsent(expectGraphQLErrors(await extend(nowhere))),
    );
  });

  it('lets an auditor read any transfer, and see in the access log who read it', async () => {
    const input = clueInput(8);
    const { transfer } = await sendClue(gw, input);
    await gw.post(
      `query ReadTransfer($id: ID!) { transfer(id: $id) { status } }`,
      { id: transfer.id },
      await gw.as('township-officer'),
    );
    const data = expectNoGraphQLErrors(
      await gw.post<{ transfer: TransferView }>(READ_TRANSFER, { id: transfer.id }, await gw.as('auditor')),
    );
    expect(data.transfer.id).toBe(transfer.id);
    const log = expectNoGraphQLErrors(
      await gw.post<{ accessLog: { entries: Array<{ operationName: string | null; authorityCode: string }> } }>(
        `query ($u: USCC) { accessLog(subject: $u, first: 10) { entries { operationName authorityCode } } }`,
        { u: input.subject },
        await gw.as('auditor'),
      ),
    );
    expect(log.accessLog.entries).toContainEqual({ operationName: 'ReadTransfer', authorityCode: ANYANG_TEAM });
  });

  it('refuses a caller without the OFFICER role before anything runs', async () => {
    const errors = expectGraphQLErrors(
      await gw.post(TRANSFER_CLUE, { input: clueInput(9), key: randomUUID() }, await gw.as('county-analyst')),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('answers NOT_FOUND for a transfer that does not exist', async () => {
    const errors = expectGraphQLErrors(
      await gw.post(READ_TRANSFER, { id: randomUUID() }, await gw.as('industry-inspector')),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('transfers nobody can receive', () => {
  it('refuses an item no power list names, with a specific reason', async () => {
    const errors = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: clueInput(0, { powerItemCode: '330381-CF-9999' }), key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_POWER_ITEM' });
  });

  it('refuses a named receiver that holds the item nowhere', async () => {
    const errors = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: clueInput(0, { receiverAuthorityCode: '330381-XYZX' }), key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'RECEIVER_HOLDS_NO_SUCH_POWER',
      receiverCode: '330381-XYZX',
    });
  });

  it('refuses a transfer to oneself: the holder cannot transfer to itself', async () => {
    const { subject, powerItemCode } = anyangClue(gw.world, 0);
    const errors = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: { subject, powerItemCode, findings: '自查', evidenceRefs: [] }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'SENDER_IS_RECEIVER' });
  });

  it('routes an item the county keeps for the township to the county bureau', async () => {
    const { transfer } = await sendClue(gw, clueInput(0, { powerItemCode: countyRetainedItem(gw.world) }));
    expect(transfer).toMatchObject({ receiverCode: '330381-ZHZFJ', routedBy: 'COUNTY_RETAINED', townshipCode: ANYANG });
  });

  it('takes the inspection a clue came from when it is about the same subject', async () => {
    const inspection = gw.world.inspections.find((i) => i.subjectCodeKind === 'USCC' && i.townshipCode === ANYANG)!;
    const { transfer } = await sendClue(
      gw,
      clueInput(0, { subject: inspection.subjectCode, inspectionId: inspection.id }),
    );
    expect(transfer).toMatchObject({ inspectionId: inspection.id, subjectUscc: inspection.subjectCode });
  });

  it('says so when the supervision system holds the inspection but it cannot be read', async () => {
    const inspection = gw.world.inspections.filter(
      (i) => i.subjectCodeKind === 'USCC' && i.townshipCode === ANYANG,
    )[1]!;
    await gw.simulators.control('supervision').mutate('inspection', inspection.id, { status: 99 });
    const response = await gw.post(
      TRANSFER_CLUE,
      { input: clueInput(0, { subject: inspection.subjectCode, inspectionId: inspection.id }), key: randomUUID() },
      await gw.as('industry-inspector'),
    );
    expect(expectGraphQLErrors(response)[0]!.extensions).toMatchObject({ reason: 'UNKNOWN_INSPECTION' });
    expect(response.body.extensions?.warnings).toContainEqual(
      expect.objectContaining({
        code: 'UPSTREAM_RECORD_DROPPED',
        system: 'supervision',
        resource: 'inspection',
      }),
    );
  });

  it('refuses an inspection the supervision system does not have, or one about another subject', async () => {
    const unknown = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: clueInput(0, { inspectionId: 'JC-NO-SUCH' }), key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(unknown[0]!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_INSPECTION',
      inspectionId: 'JC-NO-SUCH',
    });
    const input = clueInput(0);
    const other = gw.world.inspections.find((i) => i.subjectCodeKind === 'USCC' && i.subjectCode !== input.subject)!;
    const mismatch = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: { ...input, inspectionId: other.id }, key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(mismatch[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INSPECTION_OF_ANOTHER_SUBJECT' });
  });

  it('answers a township team about an inspection outside its township exactly as about one that does not exist', async () => {
    const { subject, powerItemCode } = anyangClue(gw.world, 0);
    const elsewhere = gw.world.inspections.find(
      (i) => i.townshipCode !== ANYANG && i.subjectCodeKind === 'USCC' && i.subjectCode !== subject,
    )!;
    const team = await gw.as('township-officer');
    const send = (inspectionId: string) =>
      gw.post(
        TRANSFER_CLUE,
        {
          input: { subject, powerItemCode, findings: '现场检查发现问题', evidenceRefs: [], inspectionId },
          key: randomUUID(),
        },
        team,
      );
    const outside = expectGraphQLErrors(await send(elsewhere.id));
    const absent = expectGraphQLErrors(await send('JC-NO-SUCH'));
    expect(JSON.stringify(outside)).toBe(JSON.stringify(absent).replaceAll('JC-NO-SUCH', elsewhere.id));
    expect(outside[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'UNKNOWN_INSPECTION' });
    expect(JSON.stringify(outside)).not.toContain(elsewhere.subjectCode);
  });

  it.each([
    ['spaces', '  '],
    ['zero-width spaces and joiners, which show nothing', '\u200B\u2060\uFEFF \u200D'],
  ])('refuses findings of only %s as blank', async (_, findings) => {
    const errors = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: clueInput(0, { findings }), key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_INPUT', field: 'findings' });
    expect(errors[0]!.message).toBe('findings must not be blank.');
  });

  it('counts the length of findings in characters, as a person does, not in UTF-16 units', async () => {
    const key = randomUUID();
    // 2,500 characters outside the BMP: 5,000 UTF-16 units, within the limit of 4,000 characters.
    const outcome = await sendClue(gw, clueInput(0, { findings: '𠀀'.repeat(2_500) }), key);
    expect([...outcome.transfer.findings].length).toBe(2_500);
    const [tooLong] = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: clueInput(0, { findings: '𠀀'.repeat(4_001) }), key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(tooLong!.message).toBe(
      'Argument Mutation.transferClue(input.findings) is 4001 characters long; no string argument may be longer than 4000.',
    );
  });
});

describe('retries under an idempotency key', () => {
  it('makes one transfer of the same request sent twice, and says the second was a replay', async () => {
    const key = randomUUID();
    const input = clueInput(10);
    const first = await sendClue(gw, input, key);
    const second = await sendClue(gw, input, key);
    expect(second.replayed).toBe(true);
    expect(second.transfer.id).toBe(first.transfer.id);
    const rows = await gw.gateway.store.prisma.clueTransfer.count({
      where: { subjectUscc: input.subject, powerItemCode: input.powerItemCode, findings: input.findings },
    });
    expect(rows).toBe(1);
  });

  it('records one step of the same step reported twice', async () => {
    const { transfer } = await sendClue(gw, clueInput(11));
    const key = randomUUID();
    const first = await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' }, key);
    const second = await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' }, key);
    expect([first.replayed, second.replayed]).toEqual([false, true]);
    expect(second.step).toEqual(first.step);
    expect(second.transfer.history.filter((s) => s.kind === 'RECEIVED')).toHaveLength(1);
  });

  it('answers a replay with the first result even after the transfer moved on', async () => {
    const { transfer } = await sendClue(gw, clueInput(12));
    const key = randomUUID();
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' }, key);
    await reportStep(gw, { transferId: transfer.id, step: 'ACCEPTED' });
    const replay = await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' }, key);
    expect(replay).toMatchObject({
      replayed: true,
      step: { seq: 2, kind: 'RECEIVED' },
      transfer: { status: 'ACCEPTED' },
    });
  });

  it('handles concurrent retries of one request as one', async () => {
    const key = randomUUID();
    const input = clueInput(13);
    const outcomes = await Promise.all([1, 2, 3].map(() => sendClue(gw, input, key)));
    expect(new Set(outcomes.map((o) => o.transfer.id)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
  });

  it('refuses the same key for a different request with CONFLICT and changes nothing', async () => {
    const key = randomUUID();
    await sendClue(gw, clueInput(14), key);
    const errors = expectGraphQLErrors(
      await gw.post(
        TRANSFER_CLUE,
        { input: clueInput(14, { findings: '另一份检查结果' }), key },
        await gw.as('industry-inspector'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await gw.gateway.store.prisma.clueTransfer.count({ where: { findings: '另一份检查结果' } })).toBe(0);
  });
});

describe('the answer deadline', () => {
  it('is extended once by five more working days at the receiver request', async () => {
    const { transfer } = await sendClue(gw, clueInput(15));
    const headers = await gw.as('township-officer');
    const extended = expectNoGraphQLErrors(
      await gw.post<{ extendTransferDeadline: { transfer: TransferView; step: { kind: string } } }>(
        EXTEND,
        { id: transfer.id, reason: '需调取外部证据', key: randomUUID() },
        headers,
      ),
    );
    expect(extended.extendTransferDeadline.step.kind).toBe('EXTENDED');
    expect(extended.extendTransferDeadline.transfer).toMatchObject({
      extended: true,
      status: 'SENT',
      answerDueOn: calendar.addWorkingDays(chinaToday(), 10),
    });
    const again = expectGraphQLErrors(
      await gw.post(EXTEND, { id: transfer.id, reason: '再延一次', key: randomUUID() }, headers),
    );
    expect(again[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EXTENSION_ALREADY_GRANTED' });
  });

  it('cannot be extended by the sender', async () => {
    const { transfer } = await sendClue(gw, clueInput(16));
    const errors = expectGraphQLErrors(
      await gw.post(
        EXTEND,
        { id: transfer.id, reason: '请延期', key: randomUUID() },
        await gw.as('industry-inspector'),
      ),
    );
    expect(errors[0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'receiver-only' });
  });

  it('marks an unanswered transfer overdue once its due day has passed', async () => {
    const { transfer } = await sendClue(gw, clueInput(17));
    // Sent eight working days ago, as the store would hold it then.
    const sentOn = calendar.addWorkingDays(chinaToday(), -8);
    await gw.gateway.store.prisma.clueTransfer.update({
      where: { id: transfer.id },
      data: { receivedOn: sentOn, answerDueOn: calendar.addWorkingDays(sentOn, 5) },
    });
    const data = expectNoGraphQLErrors(
      await gw.post<{ transfer: TransferView }>(READ_TRANSFER, { id: transfer.id }, await gw.as('industry-inspector')),
    );
    expect(data.transfer.overdue).toBe(true);
    const overdue = expectNoGraphQLErrors(
      await gw.post<{ transfers: Array<{ id: string }> }>(
        `{ transfers(filter: { overdueOnly: true }) { id } }`,
        {},
        await gw.as('township-officer'),
      ),
    );
    expect(overdue.transfers.map((t) => t.id)).toEqual([transfer.id]);
    const tooLate = expectGraphQLErrors(
      await gw.post(
        EXTEND,
        { id: transfer.id, reason: '来不及了', key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(tooLate[0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EXTENSION_TOO_LATE' });
  });
});

describe('telling the sender (精准推送)', () => {
  it('publishes one TRANSFER_STEP event per reported step, concerning the sender, and none for a refused step', async () => {
    const { transfer } = await sendClue(gw, clueInput(18));
    const key = randomUUID();
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' }, key);
    await reportStep(gw, { transferId: transfer.id, step: 'RECEIVED' }, key);
    expectGraphQLErrors(
      await gw.post(
        REPORT_STEP,
        { input: { transferId: transfer.id, step: 'CLOSED' }, key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    const events = await gw.gateway.store.prisma.outboxEvent.findMany({
      where: { kind: 'TRANSFER_STEP', dedupeKey: { startsWith: `TRANSFER_STEP:${transfer.id}:` } },
    });
    expect(events.map((e) => [e.dedupeKey, e.concerns])).toEqual([
      [`TRANSFER_STEP:${transfer.id}:2`, [MARKET_REGULATION]],
    ]);
    expect(events[0]!.payload).toMatchObject({
      transferId: transfer.id,
      step: 'RECEIVED',
      status: 'RECEIVED',
      receiverCode: ANYANG_TEAM,
    });
  });
});

describe('what the receiver may do next, as the gateway tells it (the console keeps no copy of the rules)', () => {
  const NEXT = `query ($id: ID!) { transfer(id: $id) { status nextSteps extendable } }`;
  async function next(id: string) {
    const data = expectNoGraphQLErrors(
      await gw.post<{ transfer: { status: string; nextSteps: string[]; extendable: boolean } }>(
        NEXT,
        { id },
        await gw.as('township-officer'),
      ),
    );
    return data.transfer;
  }

  it('names the steps open at every status, and closes the extension once it is used or the transfer is answered', async () => {
    const { transfer } = await sendClue(gw, clueInput(25));
    const id = transfer.id;
    await expect(next(id)).resolves.toEqual({ status: 'SENT', nextSteps: ['RECEIVED'], extendable: true });
    await reportStep(gw, { transferId: id, step: 'RECEIVED' });
    await expect(next(id)).resolves.toEqual({
      status: 'RECEIVED',
      nextSteps: ['ACCEPTED', 'RETURNED'],
      extendable: true,
    });
    expectNoGraphQLErrors(
      await gw.post(EXTEND, { id, reason: '需调取外部证据', key: randomUUID() }, await gw.as('township-officer')),
    );
    await expect(next(id)).resolves.toMatchObject({ status: 'RECEIVED', extendable: false });
    await reportStep(gw, { transferId: id, step: 'ACCEPTED' });
    await expect(next(id)).resolves.toEqual({
      status: 'ACCEPTED',
      nextSteps: ['CASE_FILED', 'NOT_FILED'],
      extendable: false,
    });
    await reportStep(gw, { transferId: id, step: 'NOT_FILED', reason: '违法事实不成立' });
    await expect(next(id)).resolves.toEqual({ status: 'NOT_FILED', nextSteps: [], extendable: false });
  });

  it('says an unanswered transfer past its due day can no longer be extended, as the mutation refuses it', async () => {
    const { transfer } = await sendClue(gw, clueInput(26));
    const sentOn = calendar.addWorkingDays(chinaToday(), -8);
    await gw.gateway.store.prisma.clueTransfer.update({
      where: { id: transfer.id },
      data: { receivedOn: sentOn, answerDueOn: calendar.addWorkingDays(sentOn, 5) },
    });
    await expect(next(transfer.id)).resolves.toEqual({ status: 'SENT', nextSteps: ['RECEIVED'], extendable: false });
    const refused = expectGraphQLErrors(
      await gw.post(
        EXTEND,
        { id: transfer.id, reason: '来不及了', key: randomUUID() },
        await gw.as('township-officer'),
      ),
    );
    expect(refused[0]!.extensions).toMatchObject({ reason: 'EXTENSION_TOO_LATE' });
  });
});
