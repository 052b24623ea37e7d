import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGraphQLErrors, expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { exampleQuery } from '../../src/example-query.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

interface SubjectNodes {
  subjects: { totalCount: number; nodes: Array<{ uscc: string; legacyRegNo: string | null; name: string }> };
}

/** Finds a subject with something in every system, by asking the gateway itself. */
async function subjectWithWholeLoop(): Promise<string> {
  const data = expectNoGraphQLErrors(
    await gw.post<{
      subjects: {
        nodes: Array<{
          uscc: string;
          permits: unknown[];
          penalties: Array<{ creditRecords: unknown[] }>;
          inspections: unknown[];
        }>;
      };
    }>(
      `{ subjects(first: 100, filter: { usccValid: true }) { nodes { uscc permits { permitNo } inspections { id } penalties { creditRecords { id } } } } }`,
    ),
  );
  const found = data.subjects.nodes.find(
    (s) => s.permits.length > 0 && s.inspections.length > 0 && s.penalties.some((p) => p.creditRecords.length > 0),
  );
  if (!found) throw new Error('no subject with a whole loop among the first 100; the simulated world changed');
  return found.uscc;
}

describe('one query across the four agency systems', () => {
  it('answers the example query that npm start prints and the IDE opens with, from all four systems', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{
        subject: {
          permits: Array<{
            inspections: Array<{ clues: Array<{ case: { penalties: Array<{ creditRecords: unknown[] }> } }> }>;
          }>;
          credit: { grade: string };
          timeline: { events: Array<{ stage: string }> };
        };
      }>(exampleQuery),
    );
    const penalty = data.subject.permits[0]!.inspections[0]!.clues[0]!.case.penalties[0]!;
    expect(penalty.creditRecords.length).toBeGreaterThan(0);
    expect(data.subject.credit.grade).toMatch(/^[ABCD]$/);
    expect(new Set(data.subject.timeline.events.map((e) => e.stage)).size).toBe(4);
  });

  it('answers an enterprise with its permits, inspections, cases, penalties and credit in one request', async () => {
    const uscc = await subjectWithWholeLoop();
    const data = expectNoGraphQLErrors(
      await gw.post<{
        subject: {
          uscc: string;
          usccValid: boolean;
          kind: string;
          township: { name: string; level: string };
          permits: Array<{ decidedAt: string; validFrom: string; issuer: { kind: string } | null }>;
          inspections: Array<{ inspectedOn: string; subject: { uscc: string } }>;
          penalties: Array<{
            fine: { fen: string; yuan: string };
            creditRecords: Array<{ fine: { fen: string } | null; publishedOn: string }>;
          }>;
          credit: { grade: string; dishonesty: { status: string } };
          timeline: { events: Array<{ at: string; stage: string }>; unavailableSystems: unknown[] };
        };
      }>(
        `query ($uscc: USCC!) { subject(uscc: $uscc) {
          uscc usccValid kind township { name level }
          permits { decidedAt validFrom issuer { kind } }
          inspections { inspectedOn subject { uscc } }
          penalties { fine { fen yuan } creditRecords { fine { fen } publishedOn } }
          credit { grade dishonesty { status } }
          timeline { events { at stage } unavailableSystems { system } }
        } }`,
        { uscc },
      ),
    );
    const s = data.subject;
    expect(s.uscc).toBe(uscc);
    expect(s.usccValid).toBe(true);
    expect(s.township.level).toBe('TOWNSHIP');
    expect(s.permits.length).toBeGreaterThan(0);
    expect(s.permits[0]!.decidedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(s.permits[0]!.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(s.inspections.every((i) => i.subject.uscc === uscc)).toBe(true);
    expect(['A', 'B', 'C', 'D']).toContain(s.credit.grade);
    expect(s.timeline.unavailableSystems).toEqual([]);
    expect(new Set(s.timeline.events.map((e) => e.stage))).toEqual(
      new Set(['APPROVAL', 'SUPERVISION', 'ENFORCEMENT', 'CREDIT']),
    );
    const times = s.timeline.events.map((e) => e.at);
    expect(times).toEqual([...times].sort());
  });

  it('gives a penalty the same fine in fen whether read from enforcement (fen) or credit (万元)', async () => {
    const uscc = await subjectWithWholeLoop();
    const data = expectNoGraphQLErrors(
      await gw.post<{
        subject: {
          penalties: Array<{
            fine: { fen: string; yuan: string };
            creditRecords: Array<{ fine: { fen: string } | null }>;
          }>;
        };
      }>(
        `query ($uscc: USCC!) { subject(uscc: $uscc) { penalties { fine { fen yuan } creditRecords { fine { fen } } } } }`,
        { uscc },
      ),
    );
    const published = data.subject.penalties.filter((p) => p.creditRecords.length > 0);
    expect(published.length).toBeGreaterThan(0);
    for (const penalty of published) {
      expect(penalty.creditRecords[0]!.fine?.fen).toBe(penalty.fine.fen);
      expect(penalty.fine.yuan).toBe((Number(penalty.fine.fen) / 100).toFixed(2));
    }
  });
});

describe('identifiers', () => {
  it('refuses a USCC whose check character is wrong, naming the one expected', async () => {
    const response = await gw.post(`query ($u: USCC!) { subject(uscc: $u) { name } }`, { u: '911101085513850820' });
    const [error] = expectGraphQLErrors(response);
    expect(response.status).toBe(400);
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', problem: 'check-character' });
    expect(error!.message).toContain("require 'Q'");
  });

  it('refuses a literal USCC with a forbidden letter, naming its position', async () => {
    const response = await gw.post(`{ subject(uscc: "9111010855I385082Q") { name } }`);
    const [error] = expectGraphQLErrors(response);
    // In the document itself, a bad literal makes the whole document invalid, as for any literal.
    expect(error!.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(error!.message).toContain("character 11 'I' is not allowed");
  });

  it('refuses an identifier longer than any agency issues, before asking an agency', async () => {
    const before = await gw.upstreamRequestCounts();
    const [error] = expectGraphQLErrors(
      await gw.post(`query ($id: ID!) { permit(permitNo: $id) { permitNo } }`, { id: 'x'.repeat(65) }),
    );
    // The reason every over-long string argument is refused with, so that a client tells it by code.
    expect(error!.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'permitNo',
      reason: 'too_long',
      length: 65,
      limit: 64,
    });
    expect(error!.message).toBe('permitNo must be at most 64 characters, got 65');
    expect(await gw.upstreamRequestCounts()).toEqual(before);
  });

  it('explains a candidate code without looking anything up', async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{ checkUscc: { valid: boolean; problems: string[] } }>(
        `{ checkUscc(code: "91110108551385082") { valid problems } }`,
      ),
    );
    expect(data.checkUscc).toEqual({ valid: false, problems: ['must be 18 characters, got 17'] });
  });

  it('resolves a legacy registration number to the enterprise it belongs to', async () => {
    const { subjects } = expectNoGraphQLErrors(
      await gw.post<SubjectNodes>(
        `{ subjects(first: 1, filter: { hasLegacyRegNo: true }) { totalCount nodes { uscc legacyRegNo name } } }`,
      ),
    );
    const known = subjects.nodes[0]!;
    const data = expectNoGraphQLErrors(
      await gw.post<{ subjectByIdentifier: { uscc: string; name: string } }>(
        `query ($id: String!) { subjectByIdentifier(identifier: $id) { uscc name } }`,
        { id: known.legacyRegNo },
      ),
    );
    expect(data.subjectByIdentifier).toEqual({ uscc: known.uscc, name: known.name });
  });

  it("lists inspections filed under the legacy number among the subject's own", async () => {
    const data = expectNoGraphQLErrors(
      await gw.post<{
        subjects: {
          nodes: Array<{
            uscc: string;
            inspections: Array<{ subjectReference: { kind: string }; subject: { uscc: string } }>;
          }>;
        };
      }>(
        `{ subjects(first: 100, filter: { hasLegacyRegNo: true }) { nodes { uscc inspections { subjectReference { kind } subject { uscc } } } } }`,
      ),
    );
    const legacyFiled = data.subjects.nodes.flatMap((s) =>
      s.inspections
        .filter((i) => i.subjectReference.kind === 'LEGACY_REG_NO')
        .map((i) => ({ owner: s.uscc, resolved: i.subject.uscc })),
    );
    expect(legacyFiled.length).toBeGreaterThan(0);
    for (const { owner, resolved } of legacyFiled) expect(resolved).toBe(owner);
  });

  it('still shows a subject whose upstream code fails its check, and says what is wrong', async () => {
    const { subjects } = expectNoGraphQLErrors(
      await gw.post<SubjectNodes>(
        `{ subjects(first: 1, filter: { usccValid: false }) { totalCount nodes { uscc name } } }`,
      ),
    );
    expect(subjects.totalCount).toBeGreaterThan(0);
    const bad = subjects.nodes[0]!;
    const data = expectNoGraphQLErrors(
      await gw.post<{
        subjectByIdentifier: {
          uscc: string;
          usccValid: boolean;
          usccProblem: string;
          permits: unknown[];
          credit: { grade: string };
        };
      }>(
        `query ($id: String!) { subjectByIdentifier(identifier: $id) { uscc usccValid usccProblem permits { permitNo } credit { grade } } }`,
        { id: bad.uscc },
      ),
    );
    expect(data.subjectByIdentifier.uscc).toBe(bad.uscc);
    expect(data.subjectByIdentifier.usccValid).toBe(false);
    expect(data.subjectByIdentifier.usccProblem).toMatch(/check/);
    expect(Array.isArray(data.subjectByIdentifier.permits)).toBe(true);
    expect(data.subjectByIdentifier.credit.grade).toMatch(/^[ABCD]$/);
  });
});

describe('subject search', () => {
  it('pages through one township, visiting each subject once', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 100; page++) {
      const response: {
        subjects: {
          totalCount: number;
          nodes: Array<{ uscc: string; township: { code: string } }>;
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      } = expectNoGraphQLErrors(
        await gw.post(
          `query ($after: String) { subjects(first: 100, after: $after, filter: { townshipCode: "330381005" }) { totalCount nodes { uscc township { code } } pageInfo { endCursor hasNextPage } } }`,
          { after },
        ),
      );
      total = response.subjects.totalCount;
      for (const node of response.subjects.nodes) {
        expect(node.township.code).toBe('330381005');
        seen.push(node.uscc);
      }
      if (!response.subjects.pageInfo.hasNextPage) break;
      after = response.subjects.pageInfo.endCursor;
    }
    expect(total).toBeGreaterThan(100);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('refuses a page larger than 100 with BAD_USER_INPUT', async () => {
    const [error] = expectGraphQLErrors(await gw.post(`{ subjects(first: 500) { totalCount } }`));
    expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error!.message).toContain('between 1 and 100');
  });

  it('refuses an overlong name filter before it reaches the store', async () => {
    const [error] = expectGraphQLErrors(
      await gw.post(`query ($n: String) { subjects(filter: { nameContains: $n }) { totalCount } }`, {
        n: '瑞'.repeat(51),
      }),
    );
    expect(error!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'filter.nameContains' });
  });

  it('refuses a cursor it did not issue with BAD_USER_INPUT', async () => {
    const [error] = expectGraphQLErrors(await gw.post(`{ subjects(after: "not-a-cursor") { totalCount } }`));
    expect(error!.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
