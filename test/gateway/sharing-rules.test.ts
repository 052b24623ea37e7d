import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/modules/audit/access-log-verify.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
});
afterAll(() => gw?.close());

const MATTER = '瑞综执立〔2026〕101号';

/** A subject with a case in a township other than 安阳街道 (330381001), and one with a complaint clue. */
function subjects() {
  const world = gw.world;
  const elsewhere = world.cases.find(
    (c) => c.townshipCode !== '330381001' && world.enterprises.some((e) => e.uscc === c.subjectUscc),
  )!;
  const complained = world.clues.find((c) => c.informantName !== null && c.townshipCode !== '330381001')!;
  const inspected = world.inspections.find((i) => i.subjectCodeKind === 'USCC' && i.findings.length > 0)!;
  return { elsewhere, complained, inspected };
}

describe('who may call at all', () => {
  it('refuses a request without a token with 401 and says why', async () => {
    const response = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.json()).toMatchObject({
      errors: [{ extensions: { code: 'UNAUTHENTICATED', reason: 'missing_token' } }],
    });
  });

  it('refuses a token that is not a JWT with 401 malformed_token', async () => {
    const response = await gw.post('{ __typename }', undefined, { authorization: 'Bearer not.a.jwt' });
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'malformed_token' });
  });

  it('lets a preset caller in', async () => {
    expectNoGraphQLErrors(await gw.post('{ __typename }', undefined, await gw.as('credit-platform')));
  });
});

describe('sharing classes', () => {
  it('never shows an informant outside the enforcement system, whatever the purpose', async () => {
    const { complained } = subjects();
    const response = await gw.post(
      `query ($id: ID!) { clue(id: $id) { id informant { name phone } } }`,
      { id: complained.id },
      await gw.as('county-analyst', MATTER),
    );
    // Changed by the nothing-readable rule: the analyst may read no field of a clue, so the whole clue is refused.
    const [error] = expectGraphQLErrors(response);
    expect(error).toMatchObject({ path: ['clue'], extensions: { code: 'FORBIDDEN', rule: 'nothing-readable' } });
    expect(JSON.stringify(response.body)).not.toContain(complained.informantName!);
  });

  it('never shows an informant to an analyst granted a clue field, refusing it not-shared and recording that denial', async () => {
    const { complained } = subjects();
    const grant = await gw.gateway.grants!.create(
      {
        ownerSystem: 'enforcement',
        consumerAuthorityKind: 'ANALYSIS_OFFICE',
        fields: ['Clue.status'],
        purpose: '审管执信闭环分析',
        matters: [MATTER],
        validFrom: '2026-01-01T00:00:00+08:00',
        validUntil: '2027-01-01T00:00:00+08:00',
      },
      'admin@330381-SJFX',
    );
    try {
      const response = await gw.post<{ clue: { status: string; informant: null } }>(
        `query Granted($id: ID!) { clue(id: $id) { status informant { name phone } } }`,
        { id: complained.id },
        await gw.as('county-analyst', MATTER),
      );
      const [error] = expectGraphQLErrors(response);
      expect(error).toMatchObject({
        path: ['clue', 'informant'],
        extensions: { code: 'FORBIDDEN', rule: 'not-shared' },
      });
      expect(response.body.data?.clue.status).toEqual(expect.any(String));
      expect(JSON.stringify(response.body)).not.toContain(complained.informantName!);
      const [entry] = await gw.gateway.store.prisma.accessLogEntry.findMany({ orderBy: { seq: 'desc' }, take: 1 });
      expect(entry).toMatchObject({ operationName: 'Granted', deniedFields: ['Clue.informant'] });
      expect(entry?.conditionalFields).toContain('Clue.status');
    } finally {
      await gw.gateway.grants!.revoke(grant.id, 'admin@330381-SJFX', 'test over');
    }
  });

  it('shows the informant to the county enforcement bureau that owns the clue', async () => {
    const { complained } = subjects();
    const data = expectNoGraphQLErrors(
      await gw.post<{ clue: { informant: { name: string } } }>(
        `query ($id: ID!) { clue(id: $id) { informant { name } } }`,
        { id: complained.id },
        await gw.as('county-enforcement'),
      ),
    );
    expect(data.clue.informant.name).toBe(complained.informantName);
  });

  it('denies a conditional field without a purpose, naming the rule, and does not ask the agency for it', async () => {
    const { inspected } = subjects();
    const headers = await gw.as('credit-platform');
    const before = await gw.upstreamRequestCounts();
    const response = await gw.post<{ subject: { name: string; clues: null } }>(
      `query ($u: USCC!) { subject(uscc: $u) { name clues { id } } }`,
      { u: inspected.subjectCode },
      headers,
    );
    const [error] = expectGraphQLErrors(response);
    expect(error).toMatchObject({
      path: ['subject', 'clues'],
      extensions: { code: 'FORBIDDEN', rule: 'purpose-required', field: 'Subject.clues' },
    });
    expect(response.body.data?.subject.name.length).toBeGreaterThan(0);
    expect((await gw.upstreamRequestCounts()).enforcement).toBe(before.enforcement);
  });

  it('nulls a refused field alone: the records and fields around it stand', async () => {
    const penalised = gw.world.penalties.find((p) => gw.world.enterprises.some((e) => e.uscc === p.subjectUscc))!;
    const response = await gw.post<{
      subject: {
        penalties: Array<{ decisionNo: string; executionStatus: null }> | null;
        legalRepresentative: { name: string; idNumber: null } | null;
      };
      grants: null;
    }>(
      `query ($u: USCC!) { subject(uscc: $u) { penalties { decisionNo executionStatus } legalRepresentative { name idNumber } } }`,
      { u: penalised.subjectUscc },
      await gw.as('county-analyst'),
    );
    const refused = expectGraphQLErrors(response).map((error) => error.extensions?.['field']);
    expect(refused).toEqual(expect.arrayContaining(['Penalty.executionStatus', 'LegalRepresentative.idNumber']));
    // A refused non-null field would null its parent, and a non-null list item the whole list: the
    // analyst would lose every penalty decision (unconditional, 双公示) for one field it may not read.
    const { penalties, legalRepresentative } = response.body.data!.subject;
    expect(penalties?.map((p) => p.decisionNo)).toContain(penalised.decisionNo);
    expect(penalties?.every((p) => p.executionStatus === null)).toBe(true);
    expect(legalRepresentative?.name.length).toBeGreaterThan(0);
    expect(legalRepresentative?.idNumber).toBeNull();
  });

  it('answers what a role allows beside a field the role refuses', async () => {
    const response = await gw.post<{ checkUscc: { valid: boolean }; grants: null }>(
      `{ checkUscc(code: "x") { valid } grants { id } }`,
      undefined,
      await gw.as('auditor'),
    );
    expect(expectGraphQLErrors(response)[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'role' });
    expect(response.body.data).toEqual({ checkUscc: { valid: false }, grants: null });
  });

  it('denies it through aliases and fragments alike', async () => {
    const { inspected } = subjects();
    const response = await gw.post(
      `query ($u: USCC!) { subject(uscc: $u) { ...Loop } } fragment Loop on Subject { hidden: clues { id } }`,
      { u: inspected.subjectCode },
      await gw.as('credit-platform'),
    );
    expect(expectGraphQLErrors(response)[0]).toMatchObject({
      path: ['subject', 'hidden'],
      extensions: { code: 'FORBIDDEN' },
    });
  });

  it('needs a grant for a conditional field, takes a new grant at once, and drops it when revoked', async () => {
    const { inspected } = subjects();
    const query = `query ($id: ID!) { inspection(id: $id) { findings } }`;
    const headers = await gw.as('county-analyst', MATTER);

    const before = expectGraphQLErrors(await gw.post(query, { id: inspected.id }, headers));
    expect(before[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'no-grant' });

    const grant = await gw.gateway.grants!.create(
      {
        ownerSystem: 'supervision',
        consumerAuthorityKind: 'ANALYSIS_OFFICE',
        fields: ['Inspection.findings'],
        purpose: '审管执信闭环分析',
        matters: [MATTER],
        validFrom: '2026-01-01T00:00:00+08:00',
        validUntil: '2027-01-01T00:00:00+08:00',
      },
      'admin@330381-SJFX',
    );
    const granted = expectNoGraphQLErrors(
      await gw.post<{ inspection: { findings: string } }>(query, { id: inspected.id }, headers),
    );
    expect(granted.inspection.findings).toBe(inspected.findings);

    await gw.gateway.grants!.revoke(grant.id, 'admin@330381-SJFX', 'agreement ended');
    expect(expectGraphQLErrors(await gw.post(query, { id: inspected.id }, headers))[0]?.extensions).toMatchObject({
      rule: 'no-grant',
    });
  });
});

describe('the purpose header', () => {
  it('refuses a purpose that is not percent-encoded UTF-8, with 400', async () => {
    const headers = { ...(await gw.as('county-analyst')), 'x-purpose': '%E7%91' };
    const response = await gw.post('{ __typename }', undefined, headers);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('personal information', () => {
  it("masks a legal representative's identity number unless a grant names it", async () => {
    const enterprise = gw.world.enterprises[0]!;
    const query = `query ($u: USCC!) { subject(uscc: $u) { legalRepresentative { name idNumber } } }`;
    const masked = expectNoGraphQLErrors(
      await gw.post<{ subject: { legalRepresentative: { idNumber: string } } }>(
        query,
        { u: enterprise.uscc },
        await gw.as('county-enforcement', MATTER),
      ),
    );
    expect(masked.subject.legalRepresentative.idNumber).toBe(
      `${enterprise.legalRepIdNumber.slice(0, 4)}**********${enterprise.legalRepIdNumber.slice(-4)}`,
    );

    const clear = expectNoGraphQLErrors(
      await gw.post<{ subject: { legalRepresentative: { idNumber: string } } }>(
        query,
        { u: enterprise.uscc },
        await gw.as('permit-officer'),
      ),
    );
    expect(clear.subject.legalRepresentative.idNumber).toBe(enterprise.legalRepIdNumber);
  });
});

describe('jurisdiction', () => {
  it("leaves cases of other townships out of a township team's lists, without an error", async () => {
    const { elsewhere } = subjects();
    const query = `query ($u: USCC!) { subject(uscc: $u) { cases { caseNo } } }`;
    const county = expectNoGraphQLErrors(
      await gw.post<{ subject: { cases: Array<{ caseNo: string }> } }>(
        query,
        { u: elsewhere.subjectUscc },
        await gw.as('county-enforcement'),
      ),
    );
    expect(county.subject.cases.map((c) => c.caseNo)).toContain(elsewhere.caseNo);

    const township = expectNoGraphQLErrors(
      await gw.post<{ subject: { cases: Array<{ caseNo: string }> } }>(
        query,
        { u: elsewhere.subjectUscc },
        await gw.as('township-officer'),
      ),
    );
    expect(township.subject.cases.map((c) => c.caseNo)).not.toContain(elsewhere.caseNo);
  });
});

describe('the access log', () => {
  it('records every operation in an intact chain, with the fields returned and denied', async () => {
    const { complained } = subjects();
    await gw.post(
      `query Peek($id: ID!) { clue(id: $id) { status informant { name } } }`,
      { id: complained.id },
      await gw.as('county-analyst', MATTER),
    );
    const page = await new (await import('../../src/modules/audit/access-log.ts')).AccessLog(
      gw.gateway.store.prisma,
    ).query({}, { first: 1 });
    expect(page.items[0]).toMatchObject({
      operationName: 'Peek',
      authorityCode: '330381-SJFX',
      purpose: MATTER,
      // The analyst may read no field of a clue: the clue itself is refused (nothing-readable).
      deniedFields: ['Query.clue'],
    });
    expect(await verifyChain(gw.gateway.store.prisma)).toMatchObject({ ok: true });
  });
});

describe('administering sharing agreements', () => {
  const createGrant = `mutation ($input: GrantInput!) { createGrant(input: $input) { id ownerSystem fields revokedAt } }`;
  const findingsGrant = {
    ownerSystem: 'SUPERVISION',
    consumerAuthorityCode: '330381-XYZX',
    fields: ['Inspection.findings'],
    purpose: '信用修复核查',
    matters: ['XY-2026-0042'],
    validFrom: '2026-01-01T00:00:00+08:00',
    validUntil: '2027-12-31T00:00:00+08:00',
  };

  it('lets an administrator grant a field by mutation, effective at once, and revoke it', async () => {
    const { inspected } = subjects();
    const read = `query ($id: ID!) { inspection(id: $id) { findings } }`;
    const creditPlatform = await gw.as('credit-platform', 'XY-2026-0042');
    expect(expectGraphQLErrors(await gw.post(read, { id: inspected.id }, creditPlatform))[0]?.extensions?.rule).toBe(
      'no-grant',
    );

    const admin = await gw.as('admin');
    const created = expectNoGraphQLErrors(
      await gw.post<{ createGrant: { id: string; ownerSystem: string } }>(createGrant, { input: findingsGrant }, admin),
    );
    expect(created.createGrant.ownerSystem).toBe('SUPERVISION');
    expectNoGraphQLErrors(await gw.post(read, { id: inspected.id }, creditPlatform));

    const revoked = expectNoGraphQLErrors(
      await gw.post<{ revokeGrant: { outcome: string } }>(
        `mutation ($id: ID!) { revokeGrant(id: $id, reason: "协议到期") { outcome } }`,
        { id: created.createGrant.id },
        admin,
      ),
    );
    expect(revoked.revokeGrant.outcome).toBe('REVOKED');
    expect(expectGraphQLErrors(await gw.post(read, { id: inspected.id }, creditPlatform))[0]?.extensions?.rule).toBe(
      'no-grant',
    );
  });

  it('refuses a whole mutation from a caller without the role, and changes nothing', async () => {
    const before = await gw.gateway.grants!.list({ includeRevoked: true });
    const response = await gw.post(
      `mutation ($input: GrantInput!) { a: createGrant(input: $input) { id } b: createGrant(input: $input) { id } }`,
      { input: findingsGrant },
      await gw.as('county-analyst'),
    );
    expect(expectGraphQLErrors(response)[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      rule: 'mutation-all-or-nothing',
    });
    expect(response.body.data ?? null).toBeNull();
    expect(await gw.gateway.grants!.list({ includeRevoked: true })).toHaveLength(before.length);
  });

  it('refuses a grant that cannot be right, naming every problem', async () => {
    const bad = { ...findingsGrant, fields: ['findings'], validUntil: '2025-01-01T00:00:00+08:00' };
    const [error] = expectGraphQLErrors(await gw.post(createGrant, { input: bad }, await gw.as('admin')));
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((error?.extensions?.problems as string[]).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses grants of fields that are unknown, need no grant, can never be shared, or belong to another agency', async () => {
    const grantOf = (ownerSystem: string, field: string) => ({ ...findingsGrant, ownerSystem, fields: [field] });
    const problemsOf = async (input: object) => {
      const [error] = expectGraphQLErrors(await gw.post(createGrant, { input }, await gw.as('admin')));
      expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
      return (error?.extensions?.problems as string[]).join('\n');
    };
    expect(await problemsOf(grantOf('SUPERVISION', 'Inspection.nope'))).toContain(
      'Inspection.nope is not a field of the schema',
    );
    expect(await problemsOf(grantOf('APPROVAL', 'Subject.name'))).toContain('Subject.name is shared unconditionally');
    expect(await problemsOf(grantOf('ENFORCEMENT', 'Clue.informant'))).toContain('Clue.informant is not shared');
    expect(await problemsOf(grantOf('ENFORCEMENT', 'Inspection.findings'))).toContain(
      'Inspection.findings belongs to supervision, not enforcement',
    );
  });
});

describe('auditing', () => {
  it('tells an auditor who looked at an enterprise, for which matter, and what they saw', async () => {
    const enterprise = gw.world.enterprises[0]!;
    await gw.post(
      `query Check($u: USCC!) { subject(uscc: $u) { legalRepresentative { idNumber } } }`,
      { u: enterprise.uscc },
      await gw.as('county-enforcement', MATTER),
    );
    const data = expectNoGraphQLErrors(
      await gw.post<{
        accessLog: {
          entries: Array<{
            operationName: string;
            purpose: string;
            authorityCode: string;
            conditionalFields: string[];
          }>;
        };
      }>(
        `query ($u: USCC) { accessLog(subject: $u, first: 5) { entries { operationName purpose authorityCode conditionalFields } } }`,
        { u: enterprise.uscc },
        await gw.as('auditor'),
      ),
    );
    expect(data.accessLog.entries[0]).toMatchObject({
      operationName: 'Check',
      purpose: MATTER,
      authorityCode: '330381-ZHZFJ',
    });
  });

  it('keeps the access log from everyone but auditors', async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(`{ accessLog { entries { seq } } }`, undefined, await gw.as('admin')),
    );
    expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'role' });
  });
});
