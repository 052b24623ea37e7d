/** Before timing anything: every variant answers the same data, and costs the upstream requests it should. */
import type { SimulatorControl } from '../../simulators/control-client.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../../src/domain/types.ts';
import { clientOf } from './load.ts';
import { bodyOf, type BenchQuery } from './queries.ts';
import type { Report } from './report.ts';
import { describeBatches, upstreamCost, type UpstreamCost } from './upstream-counts.ts';
import type { Variant } from './variants.ts';

/** Each query goes to the variants listed with it; the floor must be the first of them. */
export async function checkAnswers(
  report: Report,
  plan: ReadonlyArray<readonly [BenchQuery, readonly Variant[]]>,
  log: (line: string) => void,
) {
  log('checking answers');
  const rows: string[][] = [];
  let allSame = true;
  for (const [query, variants] of plan) {
    let floorData = '';
    for (const variant of variants) {
      const client = clientOf(variant, 1);
      const sent = await client.send(bodyOf(query));
      await client.close();
      const body = JSON.parse(sent.text) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> };
      const data = JSON.stringify(body.data ?? null);
      if (variant.name === 'floor') floorData = data;
      const same = data === floorData;
      allSame &&= same;
      const errors = body.errors?.map((e) => e.extensions?.code ?? '?').join(', ') ?? 'none';
      rows.push([
        query.name,
        variant.name,
        String(sent.status),
        `${(sent.text.length / 1024).toFixed(1)} KiB`,
        same ? 'yes' : '**no**',
        errors,
      ]);
    }
  }
  report.heading('Answers');
  report.paragraph(
    "One request per query and variant before any timing: every variant must return exactly the floor's `data`.",
  );
  report.table(['query', 'variant', 'HTTP', 'response', 'same data as the floor', 'errors'], rows);
  if (!allSame) log('WARNING: a variant answered differently from the floor; see RESULTS.md');
}

/** Requests per system for one query, and the batch sizes; the gateways must match the floor's plan exactly. */
export async function upstreamPhase(
  report: Report,
  variants: readonly Variant[],
  queries: readonly BenchQuery[],
  controls: Record<AgencySystem, SimulatorControl>,
  log: (line: string) => void,
) {
  log('counting upstream requests');
  const rows: string[][] = [];
  for (const query of queries) {
    const costs = new Map<string, UpstreamCost>();
    for (const variant of variants) {
      const cost = await upstreamCost(variant, bodyOf(query), controls);
      costs.set(variant.name, cost);
      rows.push([
        query.name,
        variant.name,
        ...AGENCY_SYSTEMS.map((s) => String(cost.requests[s])),
        String(cost.total),
        AGENCY_SYSTEMS.filter((s) => cost.batchKeys[s].length > 0)
          .map((s) => `${s}: ${describeBatches(cost.batchKeys[s])}`)
          .join('; '),
      ]);
    }
    const floor = costs.get('floor')!;
    for (const name of ['shipped', 'open'] as const) {
      const cost = costs.get(name);
      if (!cost) continue;
      const same = AGENCY_SYSTEMS.every((s) => cost.requests[s] === floor.requests[s]);
      report.target(
        `${query.name}: upstream requests exactly one per resource per depth level (${name} = floor's plan)`,
        `${cost.total} vs floor ${floor.total}` + (costs.has('naive') ? `; naive ${costs.get('naive')!.total}` : ''),
        same,
      );
    }
  }
  report.heading('Upstream requests per query');
  report.paragraph(
    'Counted by the simulators (`/__sim/stats`) around one request. The floor makes one batch request per resource per depth level; ' +
      'the lifecycle query has 6 levels below the subject list (permits → inspections → clues → case → penalties → credit records, ' +
      'and credit profile → records alongside). Batch sizes: keys per batch request (`3×20` = three batches of 20 keys).',
  );
  report.table(['query', 'variant', ...AGENCY_SYSTEMS, 'total', 'batch sizes'], rows);
}
