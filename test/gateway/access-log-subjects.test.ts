import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startLoopIndexedGateway, type TestGateway } from '../support/gateway.ts';

/*
 * An auditor asks the access log "who read this enterprise?" (`accessLog(subject:)`). So every
 * answer naming records of a subject names that subject in its entry, however the records were
 * reached: by their own number, through a legacy registration number, or from the loop index.
 * Each case below answered a subject's records with an entry naming no subject.
 */

let gw: TestGateway;
beforeAll(async () => {
  gw = await startLoopIndexedGateway();
}, 180_000);
afterAll(() => gw?.close());

/** The subjects the newest entry of this operation by the county enforcement bureau names. */
async function subjectsLogged(operationName: string): Promise<string[]> {
  const log = expectNoGraphQLErrors(
    await gw.post<{ accessLog: { entries: Array<{ operationName: string | null; subjects: string[] }> } }>(
      `query { accessLog(authorityCode: "330381-ZHZFJ", first: 20) { entries { operationName subjects } } }`,
      {},
      await gw.as('auditor'),
    ),
  );
  const entry = log.accessLog.entries.find((e) => e.operationName === operationName);
  expect(entry, `an entry for ${operationName}`).toBeDefined();
  return entry!.subjects;
}

/** The operations of the entries an auditor finds asking who read this enterprise. */
async function operationsFoundBySubject(uscc: string): Promise<Array<string | null>> {
  const log = expectNoGraphQLErrors(
    await gw.post<{ accessLog: { entries: Array<{ operationName: string | null }> } }>(
      `query WhoRead($uscc: USCC!) { accessLog(subject: $uscc, first: 50) { entries { operationName } } }`,
      { uscc },
      await gw.as('auditor'),
    ),
  );
  return log.accessLog.entries.map((entry) => entry.operationName);
}

async function readAsCountyEnforcement(query: string, variables: Record<string, unknown>) {
  return expectNoGraphQLErrors(await gw.post(query, variables, await gw.as('county-enforcement')));
}

const COUNTY = '330381';

describe('the access log names the subject of every record answered', () => {
  it('when a clue is read by its id', async () => {
    const clue = gw.world.clues.find((c) => c.townshipCode.startsWith(COUNTY))!;
    const data = await readAsCountyEnforcement(`query ClueById($id: ID!) { clue(id: $id) { status } }`, {
      id: clue.id,
    });
    expect(data).toEqual({ clue: { status: expect.any(String) } });
    expect(await subjectsLogged('ClueById')).toContain(clue.subjectUscc);
  });

  it('when a case, a penalty, a permit and a credit record are read by their numbers', async () => {
    const penalty = gw.world.penalties[0]!;
    const kase = gw.world.cases.find((c) => c.caseNo === penalty.caseNo)!;
    const permit = gw.world.permits[0]!;
    const record = gw.world.creditRecords[0]!;
    await readAsCountyEnforcement(
      `query ByNumbers($caseNo: ID!, $decisionNo: ID!, $permitNo: ID!, $recordId: ID!) {
        case(caseNo: $caseNo) { status }
        penalty(decisionNo: $decisionNo) { fine { yuan } }
        permit(permitNo: $permitNo) { status }
        creditRecord(id: $recordId) { kind }
      }`,
      { caseNo: kase.caseNo, decisionNo: penalty.decisionNo, permitNo: permit.permitNo, recordId: record.id },
    );
    expect(await subjectsLogged('ByNumbers')).toEqual(
      expect.arrayContaining([kase.subjectUscc, penalty.subjectUscc, permit.holderUscc, record.subjectUscc]),
    );
  });

  it('when an inspection filed under a legacy registration number is read by its id', async () => {
    const inspection = gw.world.inspections.find((i) => i.subjectCodeKind === 'LEGACY_REG_NO')!;
    const subject = gw.world.enterprises.find((e) => e.legacyRegNo === inspection.subjectCode)!;
    await readAsCountyEnforcement(`query InspectionById($id: ID!) { inspection(id: $id) { outcome } }`, {
      id: inspection.id,
    });
    // Named as the agency filed it (no store read on the request path to translate it) ...
    expect(await subjectsLogged('InspectionById')).toContain(inspection.subjectCode);
    // ... and found when an auditor asks by the enterprise's USCC.
    expect(await operationsFoundBySubject(subject.uscc)).toContain('InspectionById');
  });

  it('when a subject is found by its legacy registration number', async () => {
    const subject = gw.world.enterprises.find((e) => e.legacyRegNo !== null)!;
    const data = await readAsCountyEnforcement(
      `query ByLegacyNumber($identifier: String!) { subjectByIdentifier(identifier: $identifier) { uscc name } }`,
      { identifier: subject.legacyRegNo },
    );
    expect(data).toEqual({ subjectByIdentifier: { uscc: subject.uscc, name: subject.name } });
    expect(await subjectsLogged('ByLegacyNumber')).toContain(subject.uscc);
  });

  it('when loop breaks are listed', async () => {
    const data = await readAsCountyEnforcement(
      `query Breaks($asOf: Date) { loopGaps(filter: { asOf: $asOf }, first: 20) { gaps { subjectUscc } } }`,
      { asOf: gw.world.asOf },
    );
    const shown = (data as { loopGaps: { gaps: Array<{ subjectUscc: string }> } }).loopGaps.gaps;
    expect(shown.length).toBeGreaterThan(0);
    expect(await subjectsLogged('Breaks')).toEqual(expect.arrayContaining(shown.map((gap) => gap.subjectUscc)));
  });

  it('when a page of subjects is listed', async () => {
    const data = await readAsCountyEnforcement(`query Page { subjects(first: 5) { nodes { uscc name } } }`, {});
    const nodes = (data as { subjects: { nodes: Array<{ uscc: string }> } }).subjects.nodes;
    expect(nodes).toHaveLength(5);
    expect(await subjectsLogged('Page')).toEqual(nodes.map((node) => node.uscc).sort());
  });
});
