import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDemoToken } from '../../src/auth/demo-issuer.ts';
import { findDemoPreset } from '../../src/auth/demo-presets.ts';
import type { Role } from '../../src/auth/principal.ts';
import { AccessLog } from '../../src/modules/audit/access-log.ts';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import type { Grant, GrantInput } from '../../src/modules/access/grant-store.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

const MATTER = '核查 瑞综执立〔2026〕777号';
const ADMIN = 'admin@330381-SJJ';
const ID_NUMBER = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`;

let gw: TestGateway;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'gw-purpose-'));
  gw = await startTestGateway({ authRequired: true, dataDir });
});
afterAll(async () => {
  await gw?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A grant of the legal representative's ID number to the county enforcement bureau for 2026. */
function idNumberGrant(scope: Pick<GrantInput, 'matters' | 'matterPrefixes' | 'roles'>): Promise<Grant> {
  return gw.gateway.grants!.create(
    {
      ownerSystem: 'approval',
      consumerAuthorityCode: '330381-ZHZFJ',
      fields: ['LegalRepresentative.idNumber'],
      purpose: '案件核查中核实法定代表人身份',
      validFrom: '2026-01-01T00:00:00+08:00',
      validUntil: '2027-01-01T00:00:00+08:00',
      ...scope,
    },
    ADMIN,
  );
}

/** Headers of the county enforcement bureau's officer, or of the same bureau with other roles, for a raw x-purpose value. */
async function enforcement(purposeHeader?: string, roles?: Role[]): Promise<Record<string, string>> {
  const preset = findDemoPreset('county-enforcement')!;
  const token = await signDemoToken(roles ? { ...preset, roles } : preset, { dataDir });
  return { authorization: `Bearer ${token}`, ...(purposeHeader !== undefined ? { 'x-purpose': purposeHeader } : {}) };
}

/** The UTF-8 bytes of a text as a header value carries them when the sender did not percent-encode it. */
function asHeaderBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

async function idNumberSeen(headers: Record<string, string>): Promise<string> {
  const enterprise = gw.world.enterprises[0]!;
  const data = expectNoGraphQLErrors(
    await gw.post<{ subject: { legalRepresentative: { idNumber: string } } }>(
      ID_NUMBER,
      { u: enterprise.uscc },
      headers,
    ),
  );
  return data.subject.legalRepresentative.idNumber;
}

describe('a grant bound to matters', () => {
  let grant: Grant;
  beforeAll(async () => {
    grant = await idNumberGrant({ matters: [MATTER] });
  });
  afterAll(() => gw.gateway.grants!.revoke(grant.id, ADMIN, 'test over'));

  it('shows the ID number in clear under its own matter', async () => {
    expect(await idNumberSeen(await enforcement(encodeURIComponent(MATTER)))).toBe(
      gw.world.enterprises[0]!.legalRepIdNumber,
    );
  });

  it('takes the matter trimmed, as a person would have meant it', async () => {
    expect(await idNumberSeen(await enforcement(encodeURIComponent(`  ${MATTER}\u0020`)))).toBe(
      gw.world.enterprises[0]!.legalRepIdNumber,
    );
  });

  it('does not unmask under another purpose, even one that contains the matter', async () => {
    const masked = /^\d{4}\*{10}[\dX]{4}$/;
    expect(await idNumberSeen(await enforcement('totally-unrelated-matter'))).toMatch(masked);
    expect(await idNumberSeen(await enforcement(encodeURIComponent('瑞综执立〔2026〕777号')))).toMatch(masked);
    expect(await idNumberSeen(await enforcement(encodeURIComponent(`${MATTER} 补充`)))).toMatch(masked);
  });

  it('answers a non-personal conditional field under another purpose with FORBIDDEN no-grant', async () => {
    const inspected = gw.world.inspections.find((i) => i.subjectCodeKind === 'USCC' && i.findings.length > 0)!;
    const findings = await gw.gateway.grants!.create(
      {
        ownerSystem: 'supervision',
        consumerAuthorityCode: '330381-ZHZFJ',
        fields: ['Inspection.findings'],
        purpose: '核查',
        matters: [MATTER],
        validFrom: '2026-01-01T00:00:00+08:00',
        validUntil: '2027-01-01T00:00:00+08:00',
      },
      ADMIN,
    );
    const query = `query ($id: ID!) { inspection(id: $id) { findings } }`;
    try {
      expectNoGraphQLErrors(await gw.post(query, { id: inspected.id }, await enforcement(encodeURIComponent(MATTER))));
      const [error] = expectGraphQLErrors(
        await gw.post(query, { id: inspected.id }, await enforcement('totally-unrelated-matter')),
      );
      expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'no-grant', field: 'Inspection.findings' });
    } finally {
      await gw.gateway.grants!.revoke(findings.id, ADMIN, 'test over');
    }
  });

  it('records in the access log the grant each conditional value was read under, in an intact chain', async () => {
    const enterprise = gw.world.enterprises[0]!;
    await gw.post(
      `query Granted($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`,
      { u: enterprise.uscc },
      await enforcement(encodeURIComponent(MATTER)),
    );
    const [granted] = (await new AccessLog(gw.gateway.store.prisma).query({}, { first: 1 })).items;
    expect(granted).toMatchObject({
      operationName: 'Granted',
      purpose: MATTER,
      conditionalGrants: { 'LegalRepresentative.idNumber': grant.id },
    });

    await gw.post(
      `query Masked($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`,
      { u: enterprise.uscc },
      await enforcement('other-matter'),
    );
    const [masked] = (await new AccessLog(gw.gateway.store.prisma).query({}, { first: 1 })).items;
    expect(masked).toMatchObject({ operationName: 'Masked', conditionalGrants: {} });

    const audited = expectNoGraphQLErrors(
      await gw.post<{
        accessLog: {
          entries: Array<{ operationName: string; conditionalGrants: Array<{ field: string; grantId: string }> }>;
        };
      }>(
        `{ accessLog(first: 2) { entries { operationName conditionalGrants { field grantId } } } }`,
        undefined,
        await gw.as('auditor'),
      ),
    );
    expect(audited.accessLog.entries.find((e) => e.operationName === 'Granted')?.conditionalGrants).toEqual([
      { field: 'LegalRepresentative.idNumber', grantId: grant.id },
    ]);
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true });
  });
});

describe('a grant bound to a matter prefix', () => {
  it('covers every case number of the agreed series and none outside it', async () => {
    const grant = await idNumberGrant({ matterPrefixes: ['瑞综执立〔2026〕'] });
    try {
      const clear = gw.world.enterprises[0]!.legalRepIdNumber;
      expect(await idNumberSeen(await enforcement(encodeURIComponent('瑞综执立〔2026〕901号')))).toBe(clear);
      expect(await idNumberSeen(await enforcement(encodeURIComponent('瑞综执立〔2026〕12号')))).toBe(clear);
      expect(await idNumberSeen(await enforcement(encodeURIComponent('瑞综执立〔2025〕901号')))).not.toBe(clear);
      expect(await idNumberSeen(await enforcement(encodeURIComponent('另案 瑞综执立〔2026〕901号')))).not.toBe(clear);
    } finally {
      await gw.gateway.grants!.revoke(grant.id, ADMIN, 'test over');
    }
  });
});

describe('a grant bound to roles', () => {
  it('opens the field to callers holding a named role and to no other caller of the same authority', async () => {
    const grant = await idNumberGrant({ matters: [MATTER], roles: ['ANALYST'] });
    try {
      const clear = gw.world.enterprises[0]!.legalRepIdNumber;
      expect(await idNumberSeen(await enforcement(encodeURIComponent(MATTER), ['OFFICER']))).not.toBe(clear);
      expect(await idNumberSeen(await enforcement(encodeURIComponent(MATTER), ['ANALYST']))).toBe(clear);
      expect(await idNumberSeen(await enforcement(encodeURIComponent(MATTER), ['OFFICER', 'ANALYST']))).toBe(clear);
    } finally {
      await gw.gateway.grants!.revoke(grant.id, ADMIN, 'test over');
    }
  });
});

describe('a purpose that is not a matter reference', () => {
  const cases: Array<[string, string, string]> = [
    ['blanks', '%20%20%20', 'purpose_blank'],
    ['an empty header', '', 'purpose_blank'],
    ['CR/LF', 'M-1%0D%0AX-Injected: 1', 'purpose_control_character'],
    ['a NUL', 'M-1%00', 'purpose_control_character'],
    ['a tab', 'M%091', 'purpose_control_character'],
    ['a right-to-left override', encodeURIComponent('瑞综执立\u202E〔2026〕1号'), 'purpose_control_character'],
    ['a zero-width space', encodeURIComponent('瑞综执立〔2026〕\u200B1号'), 'purpose_control_character'],
    ['a zero-width space alone', encodeURIComponent('\u200B'), 'purpose_control_character'],
    ['a line separator', encodeURIComponent('瑞综执立〔2026〕1号\u2028'), 'purpose_control_character'],
    ['a tag character', encodeURIComponent('瑞综执立〔2026〕1号\u{E0001}'), 'purpose_control_character'],
    // Default-ignorable characters that are not format characters display as nothing all the same.
    ['a Hangul filler', encodeURIComponent('瑞综执立〔2026〕\u31641号'), 'purpose_control_character'],
    ['a Hangul choseong filler', encodeURIComponent('瑞综执立〔2026〕\u115F1号'), 'purpose_control_character'],
    ['a combining grapheme joiner', encodeURIComponent('瑞综执立〔2026〕1\u034F号'), 'purpose_control_character'],
    ['a halfwidth Hangul filler', encodeURIComponent('瑞综执立〔2026〕1号\uFFA0'), 'purpose_control_character'],
    ['a variation selector', encodeURIComponent('瑞综执立〔2026〕1号\uFE0F'), 'purpose_control_character'],
    ['101 characters', 'x'.repeat(101), 'purpose_too_long'],
    ['broken percent-encoding', '%E7%91', 'purpose_bad_encoding'],
    ['an encoded lone surrogate', '%ED%A0%80', 'purpose_bad_encoding'],
    // A matter number typed straight into a header (curl -H 'x-purpose: 瑞审受…') arrives as its
    // UTF-8 bytes, which Node reads one character per byte: never a control-character problem, and
    // never read as the mojibake it becomes (审 is the bytes of 'å®¡', all printable).
    ['a matter number sent as raw UTF-8 bytes', asHeaderBytes('瑞审受〔2026〕1130号'), 'purpose_bad_encoding'],
    ['raw UTF-8 bytes that read as printable Latin-1', asHeaderBytes('审-1'), 'purpose_bad_encoding'],
  ];

  it.each(cases)('refuses %s with 400, BAD_USER_INPUT and a reason', async (_name, header, reason) => {
    const response = await gw.post('{ __typename }', undefined, await enforcement(header));
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason,
      source: 'x-purpose header',
    });
    expect(response.body.errors?.[0]?.message).toMatch(/purpose/);
  });

  it('tells a caller who sent a matter number unencoded to percent-encode it', async () => {
    const response = await gw.post(
      '{ __typename }',
      undefined,
      await enforcement(asHeaderBytes('瑞审受〔2026〕1130号')),
    );
    expect(response.body.errors?.[0]?.message).toContain('encodeURIComponent');
  });

  it('accepts a matter number pasted with a byte-order mark at its start, as UTF-8 CSV exports carry one', async () => {
    expectNoGraphQLErrors(
      await gw.post('{ __typename }', undefined, await enforcement(encodeURIComponent('\uFEFF瑞综执立〔2026〕1号'))),
    );
  });

  it('accepts 100 characters', async () => {
    expectNoGraphQLErrors(await gw.post('{ __typename }', undefined, await enforcement('x'.repeat(100))));
  });

  it('refuses a token whose purpose claim is not a matter reference, when no header overrides it', async () => {
    const token = await signDemoToken('county-enforcement', { dataDir, purpose: 'M-1\r\nforged' });
    const response = await gw.post('{ __typename }', undefined, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'purpose_control_character',
      source: 'token purpose claim',
    });
  });

  describe('a token whose purpose claim binds it to one matter', () => {
    const boundTo = (matter: string) => signDemoToken('county-enforcement', { dataDir, purpose: matter });

    it('refuses a header stating another matter, rather than reading under that matter’s grants', async () => {
      const token = await boundTo('瑞综执立〔2026〕1号');
      const response = await gw.post(
        ID_NUMBER,
        { u: gw.world.enterprises[0]!.uscc },
        {
          authorization: `Bearer ${token}`,
          'x-purpose': encodeURIComponent(MATTER),
        },
      );
      expect(response.status).toBe(400);
      expect(response.body.data ?? null).toBeNull();
      expect(response.body.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'purpose_differs_from_token',
        source: 'x-purpose header',
      });
      const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
      expect(entry?.reason).toBe('purpose_differs_from_token');
    });

    it('accepts a header stating the same matter, or none', async () => {
      const token = await boundTo(MATTER);
      const authorization = `Bearer ${token}`;
      expectNoGraphQLErrors(
        await gw.post('{ __typename }', undefined, { authorization, 'x-purpose': encodeURIComponent(MATTER) }),
      );
      expectNoGraphQLErrors(await gw.post('{ __typename }', undefined, { authorization }));
    });
  });
});

describe('createGrant', () => {
  const createGrant = `mutation ($input: GrantInput!) { createGrant(input: $input) { id matters matterPrefixes roles } }`;
  const input = {
    ownerSystem: 'APPROVAL',
    consumerAuthorityCode: '330381-ZHZFJ',
    fields: ['LegalRepresentative.idNumber'],
    purpose: '核查',
    validFrom: '2026-01-01T00:00:00+08:00',
    validUntil: '2027-01-01T00:00:00+08:00',
  };

  it('takes matters, prefixes and roles and gives them back', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string; matters: string[]; matterPrefixes: string[]; roles: string[] } }>(
        createGrant,
        { input: { ...input, matters: [MATTER], matterPrefixes: ['瑞综执立〔2026〕'], roles: ['OFFICER'] } },
        await gw.as('admin'),
      ),
    );
    expect(data.createGrant).toMatchObject({
      matters: [MATTER],
      matterPrefixes: ['瑞综执立〔2026〕'],
      roles: ['OFFICER'],
    });
    await gw.gateway.grants!.revoke(data.createGrant.id, ADMIN, 'test over');
  });

  it('refuses a grant that names no matter', async () => {
    const [error] = expectGraphQLErrors(await gw.post(createGrant, { input }, await gw.as('admin')));
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((error?.extensions?.problems as string[]).join('\n')).toContain('name the matters the grant covers');
  });
});
