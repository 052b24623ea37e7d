import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import type { AgencySystem } from '../../src/domain/types.ts';

// Township 330381011: its first twenty subjects reach every level, down to the credit records
// published for penalties, so each of the six levels below the subject list is asked for.
const LIFECYCLE = `{ subjects(first: 20, filter: { townshipCode: "330381011" }) { nodes {
  uscc
  permits { permitNo inspections { id clues { id case { caseNo penalties { decisionNo creditRecords { id } } } } } }
  credit { grade records { id } }
} } }`;

interface Answer {
  subjects: {
    nodes: Array<{
      permits: Array<{
        permitNo: string;
        inspections: Array<{
          id: string;
          clues: Array<{ id: string; case: { caseNo: string; penalties: Array<{ decisionNo: string }> } | null }>;
        }>;
      }>;
      credit: { records: Array<{ id: string }> } | null;
    }>;
  };
}

/**
 * Batch requests per system from the gateway's /metrics. Only batch lookups: reference data
 * (authorities, regions, power items) is fetched in the background after start and cached.
 */
async function batchRequests(gw: TestGateway): Promise<Record<AgencySystem, number>> {
  const counts: Record<AgencySystem, number> = { approval: 0, supervision: 0, enforcement: 0, credit: 0 };
  const metrics = await (await fetch(`${gw.url}/metrics`)).text();
  for (const [, system, count] of metrics.matchAll(
    /^gateway_upstream_requests_total\{system="(\w+)",operation="[\w]+\.batch\.[\w]+"[^}]*\} (\d+)/gm,
  )) {
    counts[system as AgencySystem] += Number(count);
  }
  return counts;
}

async function requestsFor(gw: TestGateway): Promise<{ used: Record<AgencySystem, number>; data: Answer }> {
  const before = await batchRequests(gw);
  const data = expectNoGraphQLErrors(await gw.post<Answer>(LIFECYCLE));
  const after = await batchRequests(gw);
  const used = Object.fromEntries(
    (Object.keys(after) as AgencySystem[]).map((system) => [system, after[system] - before[system]]),
  ) as Record<AgencySystem, number>;
  return { used, data };
}

describe('upstream requests of the lifecycle query, all six levels deep', () => {
  describe('with batching loaders (as shipped)', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway();
    });
    afterAll(() => gw?.close());

    it('sends exactly one request per agency resource per depth level', async () => {
      const { used, data } = await requestsFor(gw);
      const penalties = data.subjects.nodes.flatMap((n) =>
        n.permits.flatMap((p) => p.inspections.flatMap((i) => i.clues.flatMap((c) => c.case?.penalties ?? []))),
      );
      expect(penalties.length).toBeGreaterThan(0);
      // approval: permits; supervision: inspections; enforcement: clues, case, penalties;
      // credit: profile, its records, and the records published for the penalties.
      expect(used).toEqual({ approval: 1, supervision: 1, enforcement: 3, credit: 3 });
    });
  });

  describe("with batching off (LOADER_BATCHING=off, the benchmark's naive variant)", () => {
    let gw: TestGateway;
    beforeAll(async () => {
      // A hundred-odd calls at once queue behind the bulkhead; on a loaded machine a short timeout
      // would fail some (and a retry would add to the counts), so neither is allowed here.
      gw = await startTestGateway({ loaderBatching: false, upstreamTimeoutMs: 15_000, upstreamRetries: 0 });
    });
    afterAll(() => gw?.close());

    it('sends one request per record asked about', async () => {
      const { used, data } = await requestsFor(gw);
      const nodes = data.subjects.nodes;
      const permits = nodes.flatMap((n) => n.permits);
      const inspections = permits.flatMap((p) => p.inspections);
      const clues = inspections.flatMap((i) => i.clues);
      const cases = clues.flatMap((c) => (c.case ? [c.case] : []));
      const penalties = cases.flatMap((c) => c.penalties);
      const distinct = (values: string[]) => new Set(values).size;
      expect(used).toEqual({
        approval: nodes.length,
        supervision: distinct(permits.map((p) => p.permitNo)),
        enforcement: distinct(inspections.map((i) => i.id)) + distinct(cases.map((c) => c.caseNo)) * 2,
        credit:
          nodes.length + nodes.filter((n) => n.credit !== null).length + distinct(penalties.map((p) => p.decisionNo)),
      });
    });
  });
});
