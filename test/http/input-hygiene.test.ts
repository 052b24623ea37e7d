import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors, type GraphQLResponse } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

/** Sends the operation and expects it refused as bad input, before any agency or store write. */
async function expectRefused(
  response: Promise<GraphQLResponse>,
  argument: string,
  reason: string,
  character: string,
): Promise<void> {
  const transfersBefore = await gw.gateway.store.prisma.clueTransfer.count();
  const before = await gw.upstreamRequestCounts();
  const { status, body } = await response;
  expect(status).toBe(400);
  expect(body.data ?? null).toBeNull();
  expect(body.errors).toEqual([
    expect.objectContaining({
      message: expect.stringContaining(`Argument ${argument} contains`),
      extensions: { code: 'BAD_USER_INPUT', argument, reason, character },
    }),
  ]);
  expect(await gw.upstreamRequestCounts()).toEqual(before);
  expect(await gw.gateway.store.prisma.clueTransfer.count()).toBe(transfersBefore);
}

describe('string arguments with control characters or ill-formed Unicode', () => {
  it('refuses NUL in a variable, naming the argument', async () => {
    const headers = await gw.as('township-officer');
    await expectRefused(
      gw.post('query ($s: String!) { subjectByIdentifier(identifier: $s) { name } }', { s: 'ABC\u0000DEF' }, headers),
      'Query.subjectByIdentifier(identifier)',
      'control_character',
      'U+0000',
    );
  });

  it('refuses backspace and form feed, which JSON writes with short escapes', async () => {
    const headers = await gw.as('county-analyst');
    await expectRefused(
      gw.post(
        'query ($f: SubjectFilter) { subjects(filter: $f) { totalCount } }',
        { f: { countyCode: '330381\f' } },
        headers,
      ),
      'Query.subjects(filter.countyCode)',
      'control_character',
      'U+000C',
    );
    await expectRefused(
      gw.post('query ($s: String!) { subjectByIdentifier(identifier: $s) { name } }', { s: 'x\by' }, headers),
      'Query.subjectByIdentifier(identifier)',
      'control_character',
      'U+0008',
    );
  });

  it('refuses a control character in an inline literal of a nested input object', async () => {
    await expectRefused(
      gw.post(
        '{ subjects(filter: { nameContains: "瑞安\\u0001" }) { totalCount } }',
        undefined,
        await gw.as('county-analyst'),
      ),
      'Query.subjects(filter.nameContains)',
      'control_character',
      'U+0001',
    );
  });

  it('refuses one in a list inside a variable input object, before the mutation runs', async () => {
    const input = {
      subject: gw.world.enterprises[0]!.uscc,
      powerItemCode: '330381-CF-0005',
      findings: '现场检查发现问题\n第二段',
      evidenceRefs: ['JC-EVID-1', 'JC-EVID-2\u001F'],
    };
    await expectRefused(
      gw.post(
        'mutation ($in: TransferClueInput!) { transferClue(input: $in, idempotencyKey: "hygiene-1") { replayed } }',
        { in: input },
        await gw.as('industry-inspector'),
      ),
      'Mutation.transferClue(input.evidenceRefs[1])',
      'control_character',
      'U+001F',
    );
  });

  it('refuses a lone surrogate, and looks inside fragments', async () => {
    const headers = await gw.as('township-officer');
    await expectRefused(
      gw.post(
        'query ($s: String!) { ...Lookup } fragment Lookup on Query { subjectByIdentifier(identifier: $s) { name } }',
        { s: 'ABC\uD800DEF' },
        headers,
      ),
      'Query.subjectByIdentifier(identifier)',
      'ill_formed_unicode',
      'U+D800',
    );
  });

  it('accepts tab, line feed and carriage return, and every other character', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{ subjects: { totalCount: number } }>(
        'query ($f: SubjectFilter) { subjects(filter: $f) { totalCount } }',
        { f: { nameContains: '瑞\t安\r\n\u202E😀' } },
        await gw.as('county-analyst'),
      ),
    );
    expect(data.subjects.totalCount).toBe(0);
  });
});

describe('text a mutation stores, with bidirectional marks', () => {
  it.each([
    ['a right-to-left mark', '\u200F'],
    ['a left-to-right mark', '\u200E'],
    ['an Arabic letter mark', '\u061C'],
  ])('takes %s in free text, as Uyghur input methods and Windows copies write it', async (_, mark) => {
    const response = await gw.post(
      'mutation ($in: TransferStepInput!) { reportTransferStep(input: $in, idempotencyKey: "hygiene-mark") { replayed } }',
      {
        in: {
          transferId: '00000000-0000-4000-8000-000000000000',
          step: 'RETURNED',
          reason: `ئەدلىيە${mark} 不属于本机关管辖`,
        },
      },
      await gw.as('county-enforcement'),
    );
    // Past the hygiene check: the transfer is unknown, which only the resolver can say.
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a right-to-left override in a case number, which would show the sender another number than the one stored', async () => {
    // Stored as written, this displays as 瑞综执立〔2026〕901号: not the text the sender would be shown.
    const spoofed = '\u202E号109〔6202〕立执综瑞';
    await expectRefused(
      gw.post(
        'mutation ($in: TransferStepInput!) { reportTransferStep(input: $in, idempotencyKey: "hygiene-bidi-1") { replayed } }',
        { in: { transferId: '00000000-0000-4000-8000-000000000000', step: 'CASE_FILED', caseNo: spoofed } },
        await gw.as('county-enforcement'),
      ),
      'Mutation.reportTransferStep(input.caseNo)',
      'bidi_control',
      'U+202E',
    );
  });

  it.each([
    ['a right-to-left isolate', '\u2067', 'U+2067'],
    ['a right-to-left embedding', '\u202B', 'U+202B'],
    ['a pop directional isolate', '\u2069', 'U+2069'],
  ])('refuses %s in any string a mutation takes', async (_, mark, character) => {
    const input = {
      subject: gw.world.enterprises[0]!.uscc,
      powerItemCode: '330381-CF-0005',
      findings: `现场检查${mark}发现问题`,
      evidenceRefs: ['JC-EVID-1'],
    };
    await expectRefused(
      gw.post(
        'mutation ($in: TransferClueInput!) { transferClue(input: $in, idempotencyKey: "hygiene-bidi-2") { replayed } }',
        { in: input },
        await gw.as('industry-inspector'),
      ),
      'Mutation.transferClue(input.findings)',
      'bidi_control',
      character,
    );
  });
});

describe('string arguments longer than any the schema takes', () => {
  /** Sends the operation and expects it refused as too long, before any agency or store write. */
  async function expectTooLong(response: Promise<GraphQLResponse>, argument: string, length: number): Promise<void> {
    const transfersBefore = await gw.gateway.store.prisma.clueTransfer.count();
    const before = await gw.upstreamRequestCounts();
    const { status, body } = await response;
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: `Argument ${argument} is ${length} characters long; no string argument may be longer than 4000.`,
        extensions: { code: 'BAD_USER_INPUT', argument, reason: 'too_long', length, limit: 4000 },
      }),
    ]);
    expect(await gw.upstreamRequestCounts()).toEqual(before);
    expect(await gw.gateway.store.prisma.clueTransfer.count()).toBe(transfersBefore);
  }

  const clue = (change: Record<string, unknown>) => ({
    subject: gw.world.enterprises[0]!.uscc,
    powerItemCode: '330381-CF-0005',
    findings: '现场检查发现问题',
    evidenceRefs: ['JC-EVID-1'],
    ...change,
  });
  const TRANSFER =
    'mutation ($in: TransferClueInput!) { transferClue(input: $in, idempotencyKey: "hygiene-long") { replayed } }';

  it('refuses a code of 200,000 characters in a variable, which was echoed twice into the answer (400 KB)', async () => {
    await expectTooLong(
      gw.post(TRANSFER, { in: clue({ powerItemCode: 'X'.repeat(200_000) }) }, await gw.as('industry-inspector')),
      'Mutation.transferClue(input.powerItemCode)',
      200_000,
    );
  });

  it('counts characters, not UTF-16 units, and looks inside lists and inline literals', async () => {
    await expectTooLong(
      gw.post(TRANSFER, { in: clue({ evidenceRefs: ['ok', '𠀀'.repeat(4001)] }) }, await gw.as('industry-inspector')),
      'Mutation.transferClue(input.evidenceRefs[1])',
      4001,
    );
    await expectTooLong(
      gw.post(`{ checkUscc(code: "${'9'.repeat(5000)}") { valid } }`, {}, await gw.as('county-analyst')),
      'Query.checkUscc(code)',
      5000,
    );
    const quoted = '"9'.repeat(2500);
    await expectTooLong(
      gw.post(`{ checkUscc(code: """${quoted}""") { valid } }`, {}, await gw.as('county-analyst')),
      'Query.checkUscc(code)',
      5000,
    );
  });

  it('takes findings of exactly 4000 characters, the longest text a mutation stores', async () => {
    const response = await gw.post(
      TRANSFER.replace('hygiene-long', 'hygiene-4000'),
      { in: clue({ findings: '查'.repeat(4000), powerItemCode: 'NO-SUCH-ITEM' }) },
      await gw.as('industry-inspector'),
    );
    // Past the hygiene check: the item is unknown, which only the resolver can say.
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_POWER_ITEM',
    });
  });
});

describe('list arguments longer than any the schema takes', () => {
  const GRANT = 'mutation ($input: GrantInput!) { createGrant(input: $input) { id } }';
  const grantOf = (matters: string[]) => ({
    ownerSystem: 'ENFORCEMENT',
    consumerAuthorityCode: '330381-SJFX',
    fields: ['Clue.id'],
    purpose: 'list limit',
    matters,
    validFrom: '2020-01-01T00:00:00+08:00',
    validUntil: '2099-01-01T00:00:00+08:00',
  });
  const matters = (count: number) => Array.from({ length: count }, (_, index) => `瑞综执立〔2026〕${index}号`);

  it('refuses a grant of 3000 matters in a variable, naming the list, before anything is stored', async () => {
    const grantsBefore = await gw.gateway.store.prisma.grant.count();
    const { status, body } = await gw.post(GRANT, { input: grantOf(matters(3000)) }, await gw.as('admin'));
    expect(status).toBe(400);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({
        message:
          'Argument Mutation.createGrant(input.matters) has 3000 items; no list argument may hold more than 500.',
        extensions: {
          code: 'BAD_USER_INPUT',
          argument: 'Mutation.createGrant(input.matters)',
          reason: 'too_many_items',
          items: 3000,
          limit: 500,
        },
      }),
    ]);
    expect(await gw.gateway.store.prisma.grant.count()).toBe(grantsBefore);
  });

  it('refuses an inline list literal of 501 enum values as it refuses one in a variable', async () => {
    const statuses = Array.from({ length: 501 }, () => 'SENT');
    const inline = await gw.post(
      `{ transfers(filter: { statuses: [${statuses.join(' ')}] }) { id } }`,
      {},
      await gw.as('industry-inspector'),
    );
    const variable = await gw.post(
      'query ($s: [TransferStatus!]) { transfers(filter: { statuses: $s }) { id } }',
      { s: statuses },
      await gw.as('industry-inspector'),
    );
    for (const { status, body } of [inline, variable]) {
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({
        argument: 'Query.transfers(filter.statuses)',
        reason: 'too_many_items',
        items: 501,
      });
    }
  });

  it('takes 500 items, the most a replay may name, and a grant of 500 matters', async () => {
    const ids = Array.from({ length: 500 }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
    const replay = await gw.post<{ replayDeadLetters: { notDeadLettered: string[] } }>(
      'mutation ($ids: [ID!]!) { replayDeadLetters(ids: $ids) { notDeadLettered } }',
      { ids },
      await gw.as('admin'),
    );
    expect(replay.body.errors).toBeUndefined();
    expect(replay.body.data?.replayDeadLetters.notDeadLettered).toHaveLength(500);
    const grant = await gw.post<{ createGrant: { id: string } }>(
      GRANT,
      { input: grantOf(matters(500)) },
      await gw.as('admin'),
    );
    expect(grant.body.errors).toBeUndefined();
    await gw.gateway.grants!.revoke(grant.body.data!.createGrant.id, 'admin@330381-SJFX', 'test over');
  });
});
