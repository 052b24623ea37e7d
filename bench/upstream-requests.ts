/**
 * Upstream requests per lifecycle query: as the gateway sends them (batched per depth level)
 * against one request per record, which a resolver-per-record gateway would send. Counts are
 * exact (read from the gateway's /metrics), so one run is enough on a noisy machine.
 *
 *   npx tsx bench/upstream-requests.ts
 */
import { startSimulators } from '../simulators/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../src/domain/types.ts';
import { startGateway } from '../src/gateway.ts';

const lifecycle = (first: number) => `{ subjects(first: ${first}, filter: { townshipCode: "330381001" }) { nodes {
  permits { permitNo inspections { id clues { id case { caseNo penalties { decisionNo creditRecords { id } } } } } }
  credit { grade records { id } }
  cases { caseNo }
} } }`;

interface Answer {
  subjects: {
    nodes: Array<{
      permits: Array<{
        inspections: Array<{ clues: Array<{ case: { penalties: Array<{ creditRecords: unknown[] }> } | null }> }>;
      }>;
      credit: { records: unknown[] } | null;
    }>;
  };
}

/** What one request per parent record would cost: each list or link below is fetched on its own. */
function perRecordRequests(answer: Answer): Record<AgencySystem, number> {
  const nodes = answer.subjects.nodes;
  const permits = nodes.flatMap((n) => n.permits);
  const inspections = permits.flatMap((p) => p.inspections);
  const clues = inspections.flatMap((i) => i.clues);
  const cases = clues.flatMap((c) => (c.case ? [c.case] : []));
  const penalties = cases.flatMap((c) => c.penalties);
  return {
    approval: nodes.length, // permits of each subject
    supervision: permits.length, // inspections of each permit
    enforcement: nodes.length + inspections.length + clues.length + cases.length, // cases, clues, case, penalties
    credit: nodes.length * 2 + penalties.length, // profile, records, publicity of each penalty
  };
}

function upstreamCounts(metrics: string): Record<AgencySystem, number> {
  const counts = Object.fromEntries(AGENCY_SYSTEMS.map((s) => [s, 0])) as Record<AgencySystem, number>;
  for (const match of metrics.matchAll(/^gateway_upstream_requests_total\{[^}]*system="(\w+)"[^}]*\} (\d+)/gm)) {
    counts[match[1] as AgencySystem] += Number(match[2]);
  }
  return counts;
}

const simulators = await startSimulators({ scale: 1, seed: 42 });
const gateway = await startGateway(
  loadConfig({
    PORT: '0',
    DATA_DIR: 'memory://',
    LOG_LEVEL: 'silent',
    // The upstream requests of a query do not depend on who asks: no token, and every field answered.
    AUTH_REQUIRED: 'false',
    // Only the query's own requests are counted: no background sync between the two readings of /metrics.
    REGISTRY_SYNC_INTERVAL_MS: '3600000',
    LOOP_INDEX_SYNC_INTERVAL_MS: '0',
    // Requests are counted, not timed: on a busy machine a slow answer must not become a retried
    // attempt, which the counter would count as a second request.
    UPSTREAM_TIMEOUT_MS: '30000',
    UPSTREAM_DEADLINE_MS: '60000',
    APPROVAL_URL: simulators.urls.approval,
    SUPERVISION_URL: simulators.urls.supervision,
    ENFORCEMENT_URL: simulators.urls.enforcement,
    CREDIT_URL: simulators.urls.credit,
  }),
);
const metrics = async () => upstreamCounts(await (await fetch(`${gateway.url}/metrics`)).text());
const ask = async (query: string) => {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Answer; errors?: unknown[] };
};

// The gateway loads the enforcement system's reference tables in the background as it starts;
// on a busy machine that load can still be running when the first reading is taken, and its
// requests were then counted as the first query's. A township's name is read from those tables,
// so once this answers they are loaded (kept for minutes, longer than this run).
const warmUp = await ask('{ subjects(first: 1) { nodes { township { name } } } }');
if (warmUp.errors) throw new Error(`the reference tables did not load: ${JSON.stringify(warmUp.errors)}`);

const rows: string[] = [
  '| enterprises | system | batched requests | one per record | ratio |',
  '|---|---|---|---|---|',
];
for (const first of [1, 20, 100]) {
  const before = await metrics();
  const body = await ask(lifecycle(first));
  if (!body.data) throw new Error(`query failed: ${JSON.stringify(body.errors)}`);
  const data = body.data;
  const after = await metrics();
  const naive = perRecordRequests(data);
  for (const system of AGENCY_SYSTEMS) {
    const batched = after[system] - before[system];
    rows.push(`| ${first} | ${system} | ${batched} | ${naive[system]} | ${(naive[system] / batched).toFixed(1)}× |`);
  }
}
process.stdout.write(`${rows.join('\n')}\n`);
await gateway.close();
await simulators.close();
