import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreditCheckManifest } from '../../simulators/index.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { permitOfficeFor } from './permit-office.ts';

/**
 * An agency that answers, but with a record the gateway cannot map (the record is dropped and the
 * rest kept) or without a record another names, must not let a check look clean: the rules that
 * read those records are named as not evaluated, with the records' source, and `complete` is false.
 * Each test breaks its own subject's records, so one gateway serves them all.
 */

const CHECK = `query ($requests: [CreditCheckRequest!]!) { creditChecks(requests: $requests) {
  uscc verdict complete reasons { ruleId } notEvaluated { ruleId reason fields sources } } }`;
const APPLICATION = '瑞审受〔2026〕1131号';

interface Check {
  uscc: string;
  verdict: string;
  complete: boolean;
  reasons: Array<{ ruleId: string }>;
  notEvaluated: Array<{ ruleId: string; reason: string; fields: string[]; sources: string[] }>;
}

let gw: TestGateway;
let manifest: CreditCheckManifest;
let office: Record<string, string>;

beforeAll(async () => {
  gw = await startTestGateway({ authRequired: true });
  manifest = await gw.simulators.control('credit').creditCheckManifest();
  office = await permitOfficeFor(gw, APPLICATION);
}, 180_000);
afterAll(() => gw?.close());

async function checks(...requests: Array<{ subjectUscc: string; item: string }>): Promise<Check[]> {
  return expectNoGraphQLErrors(
    await gw.post<{ creditChecks: Check[] }>(
      CHECK,
      { requests: requests.map((r) => ({ uscc: r.subjectUscc, item: r.item, asOf: manifest.asOf })) },
      office,
    ),
  ).creditChecks;
}

function caseOf(rule: string, index: number) {
  const c = manifest.triggered.filter((t) => t.rule === rule)[index];
  expect(c, `the demo world has a subject for ${rule}`).toBeDefined();
  return c!;
}

describe('a credit check over records the gateway could not read', () => {
  it('does not clear an applicant whose revoked permit the approval system answers unreadably', async () => {
    const barred = caseOf('revoked-food-permit-bar', 0);
    expect((await checks(barred))[0]!.verdict).toBe('REFUSE');
    await gw.simulators.control('approval').mutate('permit', barred.refs['permitNo']!, { status: 9 });

    const [result] = await checks(barred);
    expect(result).toMatchObject({ verdict: 'CLEAR', complete: false });
    expect(result!.notEvaluated).toContainEqual({
      ruleId: 'revoked-food-permit-bar',
      reason: 'RECORDS_NOT_READABLE',
      fields: [],
      sources: ['approval.permit'],
    });
  });

  it('does not clear an applicant whose revocation names a permit the approval system does not have', async () => {
    const barred = caseOf('revoked-food-permit-bar', 1);
    await gw.simulators.control('enforcement').mutate('penalty', barred.refs['decisionNo']!, {
      PERMIT_NO: '浙审330381-2024-999999',
    });

    const [result] = await checks(barred);
    expect(result).toMatchObject({ verdict: 'CLEAR', complete: false });
    expect(result!.notEvaluated).toContainEqual({
      ruleId: 'revoked-food-permit-bar',
      reason: 'RECORDS_NOT_READABLE',
      fields: [],
      sources: ['approval.permit'],
    });
  });

  it('does not clear an applicant with an open case on a power item the power list lacks', async () => {
    const open = caseOf('open-case-same-item', 0);
    expect((await checks(open))[0]!.reasons.map((r) => r.ruleId)).toContain('open-case-same-item');
    await gw.simulators.control('enforcement').mutate('case', open.refs['caseNo']!, { ITEM_CODE: '330381-CF-0999' });

    const [result] = await checks(open);
    expect(result!.complete).toBe(false);
    expect(result!.notEvaluated).toContainEqual({
      ruleId: 'open-case-same-item',
      reason: 'RECORDS_NOT_READABLE',
      fields: [],
      sources: ['enforcement.item'],
    });
  });

  it('names every rule reading penalties not evaluated when a penalty of the batch is unreadable, and keeps the reasons that still apply', async () => {
    const fined = caseOf('unexecuted-fine', 1);
    const clear = manifest.clear[0]!;
    await gw.simulators.control('enforcement').mutate('penalty', fined.refs['decisionNo']!, { EXEC_STATUS: 7 });

    const [finedResult, clearResult] = await checks(fined, clear);
    // Which subject a record nobody could read belongs to is unknown: every check of the batch says so.
    for (const result of [finedResult!, clearResult!]) {
      expect(result.complete).toBe(false);
      expect(result.notEvaluated).toContainEqual({
        ruleId: 'unexecuted-fine',
        reason: 'RECORDS_NOT_READABLE',
        fields: [],
        sources: ['enforcement.penalty'],
      });
      expect(result.reasons.map((r) => r.ruleId)).not.toContain('unexecuted-fine');
    }
  });

  it('names rules the caller may not read as such, beside those whose records were unreadable', async () => {
    const fined = caseOf('unexecuted-fine', 1);
    const [result] = expectNoGraphQLErrors(
      await gw.post<{ creditChecks: Check[] }>(
        CHECK,
        { requests: [{ uscc: fined.subjectUscc, item: fined.item, asOf: manifest.asOf }] },
        await gw.as('permit-officer'),
      ),
    ).creditChecks;
    expect(result!.notEvaluated).toContainEqual({
      ruleId: 'unexecuted-fine',
      reason: 'FIELDS_NOT_READABLE',
      fields: ['Penalty.executionStatus'],
      sources: [],
    });
  });

  it('is complete again for a batch whose records were all read', async () => {
    const [result] = await checks(manifest.clear[1]!);
    expect(result).toMatchObject({ verdict: 'CLEAR', complete: true, notEvaluated: [] });
  });
});
