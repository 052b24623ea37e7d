import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw?.close());

interface LifecycleAnswer {
  subjects: {
    nodes: Array<{
      permits: Array<{
        inspections: Array<{ clues: Array<{ case: { penalties: Array<{ decisionNo: string }> } | null }> }>;
      }>;
      credit: { records: Array<{ id: string }> } | null;
      cases: Array<{ caseNo: string }>;
    }>;
  };
}

describe('batching upstream requests', () => {
  it('costs one request per system per depth level for 20 enterprises across all four systems', async () => {
    const before = await gw.upstreamRequestCounts('answered');
    const data = expectNoGraphQLErrors(
      await gw.post<LifecycleAnswer>(`{ subjects(first: 20, filter: { townshipCode: "330381001" }) { nodes {
            permits { permitNo inspections { id clues { id case { caseNo penalties { decisionNo } } } } }
            credit { grade records { id } }
            cases { caseNo }
        } } }`),
    );
    const after = await gw.upstreamRequestCounts('answered');
    const used = {
      approval: after.approval - before.approval,
      supervision: after.supervision - before.supervision,
      enforcement: after.enforcement - before.enforcement,
      credit: after.credit - before.credit,
    };

    // Depth levels at which each system is asked, when the answer has keys there at all:
    // approval: permits (1); supervision: permits.inspections (2); credit: credit (1), records (2);
    // enforcement: cases (1), inspections.clues (3), clues.case (4), case.penalties (5).
    const nodes = data.subjects.nodes;
    const inspections = nodes.flatMap((n) => n.permits.flatMap((p) => p.inspections));
    const clues = inspections.flatMap((i) => i.clues);
    const cases = clues.flatMap((c) => (c.case ? [c.case] : []));
    expect(nodes).toHaveLength(20);
    expect(inspections.length).toBeGreaterThan(0);
    expect(used).toEqual({
      approval: 1,
      supervision: 1,
      credit: 2,
      enforcement:
        1 +
        (inspections.length > 0 ? 1 : 0) +
        (clues.some((c) => c.case === null) || cases.length > 0 ? 1 : 0) +
        (cases.length > 0 ? 1 : 0),
    });
  });

  it('sends the twenty subjects to the approval platform as one batch of twenty keys', async () => {
    await gw.simulators.control('approval').resetStats();
    expectNoGraphQLErrors(
      await gw.post(
        `{ subjects(first: 20, filter: { townshipCode: "330381002" }) { nodes { permits { permitNo } } } }`,
      ),
    );
    const stats = await gw.simulators.control('approval').stats();
    expect(stats.batchKeys).toEqual([20]);
  });
});
