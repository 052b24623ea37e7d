import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDemoPreset, type DemoPreset } from '../../src/auth/demo-presets.ts';
import type { CreditCheckManifest } from '../../simulators/index.ts';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { permitOfficeFor } from './permit-office.ts';

const CHECK_FIELDS = `uscc item itemName asOf verdict complete rulesVersion
  reasons { ruleId verdict conditions text legalBasis appliesUntil reveals triggeredBy { kind id on } }
  notEvaluated { ruleId fields }`;
const CHECK = `query ($uscc: USCC!, $item: String!, $asOf: Date) { creditCheck(uscc: $uscc, item: $item, asOf: $asOf) { ${CHECK_FIELDS} } }`;
const BATCH = `query ($requests: [CreditCheckRequest!]!) { creditChecks(requests: $requests) { ${CHECK_FIELDS} } }`;
const CREATE_GRANT = `mutation ($input: GrantInput!) { createGrant(input: $input) { id } }`;

interface Reason {
  ruleId: string;
  verdict: string;
  conditions: string[];
  legalBasis: string;
  appliesUntil: string | null;
  reveals: string[];
  triggeredBy: Array<{ kind: string; id: string; on: string | null }>;
}
interface Check {
  uscc: string;
  item: string;
  verdict: string;
  complete: boolean;
  reasons: Reason[];
  notEvaluated: Array<{ ruleId: string; fields: string[] }>;
}

/** The permit office's application number, sent as the purpose of every check. */
const APPLICATION = '瑞审受〔2026〕1130号';

let gw: TestGateway;
let manifest: CreditCheckManifest;
let office: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
  manifest = await gw.simulators.control('credit').creditCheckManifest();
  office = await permitOfficeFor(gw, APPLICATION);
}, 180_000);
afterAll(() => gw?.close());

async function check(uscc: string, item: string, headers = office): Promise<Check> {
  return expectNoGraphQLErrors(
    await gw.post<{ creditCheck: Check }>(CHECK, { uscc, item, asOf: manifest.asOf }, headers),
  ).creditCheck;
}

function casesOf(rule: string) {
  const cases = manifest.triggered.filter((c) => c.rule === rule);
  expect(cases.length, `the demo world has subjects for ${rule}`).toBeGreaterThan(0);
  return cases;
}

describe('each credit-check rule on the demo world', () => {
  it('restricts a subject on the serious-dishonesty list (joint punishment): strict review, no commitment-based approval', async () => {
    for (const c of casesOf('serious-dishonesty-list')) {
      const result = await check(c.subjectUscc, c.item);
      const reason = result.reasons.find((r) => r.ruleId === 'serious-dishonesty-list');
      expect(reason, c.subjectUscc).toMatchObject({
        verdict: 'CONDITIONS',
        conditions: ['STRICT_REVIEW', 'NO_COMMITMENT_APPROVAL'],
      });
      expect(reason!.legalBasis).toContain('国发〔2016〕33号');
      expect(reason!.triggeredBy).toEqual([
        expect.objectContaining({ kind: 'DISHONESTY_LISTING', on: c.refs.listedOn }),
      ]);
      expect(result.verdict).not.toBe('CLEAR');
    }
  });

  it('refuses a food permit within five years of the revocation of the same item, until the day before the fifth anniversary', async () => {
    for (const c of casesOf('revoked-food-permit-bar')) {
      const result = await check(c.subjectUscc, c.item);
      expect(result.verdict).toBe('REFUSE');
      const reason = result.reasons.find((r) => r.ruleId === 'revoked-food-permit-bar')!;
      expect(reason.legalBasis).toContain('第一百三十五条');
      expect(reason.triggeredBy).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'PENALTY_DECISION', id: c.refs.decisionNo }),
          expect.objectContaining({ kind: 'PERMIT', id: c.refs.permitNo }),
        ]),
      );
      const decided = reason.triggeredBy.find((t) => t.kind === 'PENALTY_DECISION')!.on!;
      expect(reason.appliesUntil! > decided).toBe(true);
      expect(reason.appliesUntil!.slice(0, 4)).toBe(String(Number(decided.slice(0, 4)) + 5));
    }
  });

  it('does not bar another item, nor the same item once the five years have passed', async () => {
    const c = casesOf('revoked-food-permit-bar')[0]!;
    const other = await check(c.subjectUscc, '330381-XK-0012');
    expect(other.reasons.map((r) => r.ruleId)).not.toContain('revoked-food-permit-bar');
    const barred = (await check(c.subjectUscc, c.item)).reasons.find((r) => r.ruleId === 'revoked-food-permit-bar')!;
    const after = expectNoGraphQLErrors(
      await gw.post<{ creditCheck: Check }>(CHECK, { uscc: c.subjectUscc, item: c.item, asOf: '2031-12-31' }, office),
    ).creditCheck;
    expect(barred.appliesUntil! < '2031-12-31').toBe(true);
    expect(after.reasons.map((r) => r.ruleId)).not.toContain('revoked-food-permit-bar');
  });

  it('puts conditions on a subject with an unexecuted fine, naming the decision', async () => {
    for (const c of casesOf('unexecuted-fine')) {
      const reason = (await check(c.subjectUscc, c.item)).reasons.find((r) => r.ruleId === 'unexecuted-fine');
      expect(reason, c.subjectUscc).toMatchObject({
        verdict: 'CONDITIONS',
        conditions: ['FINE_TO_BE_PAID'],
        appliesUntil: null,
      });
      expect(reason!.triggeredBy).toContainEqual(
        expect.objectContaining({ kind: 'PENALTY_DECISION', id: c.refs.decisionNo }),
      );
    }
  });

  it("puts conditions on a subject with an open case in the item's domain, and not for an item of another domain", async () => {
    for (const c of casesOf('open-case-same-item')) {
      const reason = (await check(c.subjectUscc, c.item)).reasons.find((r) => r.ruleId === 'open-case-same-item');
      expect(reason, c.subjectUscc).toMatchObject({ verdict: 'CONDITIONS', conditions: ['ON_SITE_VERIFICATION'] });
      expect(reason!.triggeredBy).toContainEqual(expect.objectContaining({ kind: 'CASE', id: c.refs.caseNo }));
    }
    const c = casesOf('open-case-same-item')[0]!;
    const items = expectNoGraphQLErrors(
      await gw.post<{ creditCheckItems: Array<{ code: string; domain: string }> }>(
        '{ creditCheckItems { code domain } }',
        {},
        office,
      ),
    ).creditCheckItems;
    const elsewhere = items.find((item) => item.domain !== c.refs.domain)!;
    const result = await check(c.subjectUscc, elsewhere.code);
    expect(
      result.reasons.find(
        (r) => r.ruleId === 'open-case-same-item' && r.triggeredBy.some((t) => t.id === c.refs.caseNo),
      ),
    ).toBeUndefined();
  });

  it('refuses commitment-based approval to a subject graded D', async () => {
    for (const c of casesOf('credit-grade-d')) {
      const reason = (await check(c.subjectUscc, c.item)).reasons.find((r) => r.ruleId === 'credit-grade-d');
      expect(reason, c.subjectUscc).toMatchObject({ verdict: 'CONDITIONS', conditions: ['NO_COMMITMENT_APPROVAL'] });
      expect(reason!.triggeredBy).toEqual([expect.objectContaining({ kind: 'CREDIT_GRADE', id: 'D' })]);
      expect(reason!.legalBasis).toContain('国办发〔2020〕42号');
    }
  });

  it('refuses commitment-based approval to a subject that broke a commitment', async () => {
    for (const c of casesOf('commitment-breached')) {
      const reason = (await check(c.subjectUscc, c.item)).reasons.find((r) => r.ruleId === 'commitment-breached');
      expect(reason, c.subjectUscc).toMatchObject({ verdict: 'CONDITIONS', conditions: ['NO_COMMITMENT_APPROVAL'] });
      expect(reason!.triggeredBy).toContainEqual(expect.objectContaining({ kind: 'COMMITMENT', id: c.refs.recordId }));
    }
  });

  it('clears a subject no rule applies to, having evaluated every rule', async () => {
    expect(manifest.clear.length).toBeGreaterThan(0);
    for (const c of manifest.clear) {
      const result = await check(c.subjectUscc, c.item);
      expect(result, c.subjectUscc).toMatchObject({ verdict: 'CLEAR', reasons: [], notEvaluated: [], complete: true });
    }
  });
});

describe('what a credit check reveals and records', () => {
  it('leaves rules on conditional fields unevaluated for a caller without a purpose, whatever their outcome', async () => {
    const noPurpose = await gw.as('permit-officer');
    const fined = casesOf('unexecuted-fine')[0]!;
    const clear = manifest.clear[0]!;
    for (const uscc of [fined.subjectUscc, clear.subjectUscc]) {
      const result = await check(uscc, fined.item, noPurpose);
      expect(result.complete).toBe(false);
      expect(result.notEvaluated).toEqual([
        { ruleId: 'unexecuted-fine', fields: ['Penalty.executionStatus'] },
        { ruleId: 'commitment-breached', fields: ['CreditRecord.commitment'] },
      ]);
      expect(result.reasons.map((r) => r.ruleId)).not.toContain('unexecuted-fine');
    }
  });

  it('writes each check to the access log with its purpose, its subject and the conditional fields it read', async () => {
    const c = casesOf('unexecuted-fine')[0]!;
    await check(c.subjectUscc, c.item);
    const log = expectNoGraphQLErrors(
      await gw.post<{
        accessLog: {
          entries: Array<{
            purpose: string | null;
            subjects: string[];
            conditionalFields: string[];
            authorityCode: string;
          }>;
        };
      }>(
        `query ($u: USCC) { accessLog(subject: $u, first: 5) { entries { purpose subjects conditionalFields authorityCode } } }`,
        { u: c.subjectUscc },
        await gw.as('auditor'),
      ),
    );
    expect(log.accessLog.entries).toContainEqual({
      purpose: APPLICATION,
      subjects: [c.subjectUscc],
      conditionalFields: ['CreditRecord.commitment', 'Penalty.executionStatus'],
      authorityCode: '330381-XZSPJ',
    });
  });
});

describe('credit checks in a batch', () => {
  it('answers 200 checks in the order asked, each as a single check answers it', async () => {
    const pool = [...manifest.triggered, ...manifest.clear];
    const requests = Array.from({ length: 200 }, (_, i) => ({
      uscc: pool[i % pool.length]!.subjectUscc,
      item: pool[i % pool.length]!.item,
      asOf: manifest.asOf,
    }));
    const results = expectNoGraphQLErrors(
      await gw.post<{ creditChecks: Check[] }>(BATCH, { requests }, office),
    ).creditChecks;
    expect(results).toHaveLength(200);
    expect(results.map((r) => `${r.uscc} ${r.item}`)).toEqual(requests.map((r) => `${r.uscc} ${r.item}`));
    for (const index of [0, 7, 199])
      expect(results[index]).toEqual(await check(requests[index]!.uscc, requests[index]!.item));
  });

  it('refuses more than 200 checks before asking any agency', async () => {
    const c = manifest.clear[0]!;
    const requests = Array.from({ length: 201 }, () => ({ uscc: c.subjectUscc, item: c.item }));
    const before = await gw.upstreamRequestCounts();
    const [error] = expectGraphQLErrors(await gw.post(BATCH, { requests }, office));
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'BATCH_TOO_LARGE',
      limit: 200,
      got: 201,
    });
    expect(await gw.upstreamRequestCounts()).toEqual(before);
  });

  it('refuses an item the rules do not list, naming it', async () => {
    const c = manifest.clear[0]!;
    const [error] = expectGraphQLErrors(await gw.post(CHECK, { uscc: c.subjectUscc, item: 'XK-NONE' }, office));
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'UNKNOWN_PERMIT_ITEM',
      problems: [expect.objectContaining({ index: 0, field: 'item' })],
    });
    expect(error?.message).toContain('"XK-NONE"');
  });
});

describe('a credit check while an agency is down', () => {
  it('gives no verdict but 503 with Retry-After and the system named, and answers again once it is back', async () => {
    const c = manifest.clear[0]!;
    await gw.simulators.control('credit').setFaults({ down: true });
    try {
      const response = await gw.post(CHECK, { uscc: c.subjectUscc, item: c.item }, office);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('30');
      expect(response.body.data ?? null).toBeNull();
      expect(expectGraphQLErrors(response)[0]?.extensions).toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
        system: 'credit',
      });
    } finally {
      await gw.simulators.control('credit').clearFaults();
    }
    expect((await check(c.subjectUscc, c.item)).verdict).toBe('CLEAR');
  });
});

/** A township's permit office (便民服务中心): an approval office whose jurisdiction is one township. */
const townshipOffice: DemoPreset = {
  ...findDemoPreset('permit-officer')!,
  authorityCode: '330381001-XZSPJ',
  authorityName: '瑞安市安阳街道便民服务中心',
  jurisdictionCode: '330381001',
  subject: 'permit-officer-of-330381001',
};

describe('a credit check by a caller whose jurisdiction is one township', () => {
  let township: Record<string, string>;
  beforeAll(async () => {
    // Approval offices of the county's townships may read what the rules need, for approvals.
    for (const [ownerSystem, field] of [
      ['ENFORCEMENT', 'Penalty.executionStatus'],
      ['CREDIT', 'CreditRecord.commitment'],
    ] as const) {
      expectNoGraphQLErrors(
        await gw.post(
          CREATE_GRANT,
          {
            input: {
              ownerSystem,
              consumerAuthorityKind: 'APPROVAL_BUREAU',
              fields: [field],
              purpose: '行政许可审批前信用核查',
              matters: [APPLICATION],
              validFrom: '2026-01-01T00:00:00+08:00',
              validUntil: '2099-12-31T00:00:00+08:00',
            },
          },
          await gw.as('admin'),
        ),
      );
    }
    township = await gw.as(townshipOffice, APPLICATION);
  });

  /** A subject with an open case on the item, the case having arisen outside the office's township. */
  function openCaseElsewhere() {
    const townshipOf = new Map(gw.world.cases.map((c) => [c.caseNo, c.townshipCode]));
    const found = casesOf('open-case-same-item').find(
      (c) => townshipOf.get(c.refs.caseNo!) !== townshipOffice.jurisdictionCode,
    );
    expect(found, 'the demo world has an open case outside 330381001').toBeDefined();
    return found!;
  }

  it('is not complete when a case outside its township could not be seen', async () => {
    const c = openCaseElsewhere();
    const result = expectNoGraphQLErrors(
      await gw.post<{ creditCheck: { complete: boolean; reasons: Array<{ ruleId: string }> } }>(
        `query ($uscc: USCC!, $item: String!, $asOf: Date) { creditCheck(uscc: $uscc, item: $item, asOf: $asOf) { complete reasons { ruleId } } }`,
        { uscc: c.subjectUscc, item: c.item, asOf: manifest.asOf },
        township,
      ),
    ).creditCheck;
    expect(result.reasons.map((r) => r.ruleId)).not.toContain('open-case-same-item');
    expect(result.complete).toBe(false);
  });

  it('names the rules it evaluated only within the township, the same whether or not anything lies beyond', async () => {
    const partly = `query ($uscc: USCC!, $item: String!, $asOf: Date) {
      creditCheck(uscc: $uscc, item: $item, asOf: $asOf) { complete notEvaluated { ruleId } partlyEvaluated { ruleId fields jurisdictionCode } } }`;
    type Answer = {
      creditCheck: {
        complete: boolean;
        notEvaluated: unknown[];
        partlyEvaluated: Array<{ ruleId: string; fields: string[]; jurisdictionCode: string }>;
      };
    };
    const elsewhere = openCaseElsewhere();
    const clear = manifest.clear[0]!;
    const answers = await Promise.all(
      [elsewhere, clear].map(
        async (c) =>
          expectNoGraphQLErrors(
            await gw.post<Answer>(partly, { uscc: c.subjectUscc, item: elsewhere.item, asOf: manifest.asOf }, township),
          ).creditCheck,
      ),
    );
    for (const answer of answers) {
      expect(answer).toEqual({
        complete: false,
        notEvaluated: [],
        partlyEvaluated: [
          {
            ruleId: 'open-case-same-item',
            fields: ['Case.caseNo', 'Case.status', 'Case.powerItem', 'Case.filedAt'],
            jurisdictionCode: '330381001',
          },
        ],
      });
    }
  });

  it("evaluates a township team's own fines only in its township, which it reads as their owner", async () => {
    const result = expectNoGraphQLErrors(
      await gw.post<{ creditCheck: Check & { partlyEvaluated: Array<{ ruleId: string; fields: string[] }> } }>(
        `query ($uscc: USCC!, $item: String!) { creditCheck(uscc: $uscc, item: $item) { partlyEvaluated { ruleId fields } } }`,
        { uscc: manifest.clear[0]!.subjectUscc, item: manifest.clear[0]!.item },
        await gw.as('township-officer'),
      ),
    ).creditCheck;
    expect(result.partlyEvaluated).toContainEqual({ ruleId: 'unexecuted-fine', fields: ['Penalty.executionStatus'] });
  });

  it('leaves the county permit office’s check of the same subject complete', async () => {
    const c = manifest.clear[0]!;
    expect((await check(c.subjectUscc, c.item)).complete).toBe(true);
  });
});
