/**
 * The fixed cost of a request: one field, no I/O, every server at saturation. The gateway is
 * compared with its own stack bare (Express 5 + Apollo Server 5, one-field schema, no gateway
 * code) and with Yoga, so what the gateway adds per request shows apart from what the stack costs.
 */
import { bodyOf, type BenchQuery } from './queries.ts';
import type { Report } from './report.ts';
import { interleaved } from './rounds.ts';
import { fmt, latencyOf, median, ratio, ratioNear } from './summary.ts';
import type { Variant } from './variants.ts';

/** Enough that every server's CPU is the limit, few enough that the load generator keeps up. */
export const FIXED_COST_CONNECTIONS = 16;

export async function fixedCostPhase(
  report: Report,
  variants: readonly Variant[],
  query: BenchQuery,
  options: { rounds: number; seconds: number; log: (line: string) => void },
): Promise<{ bareApolloCpuMs: number }> {
  const { rounds, seconds, log } = options;
  log(`fixed cost: ${query.name} at ${FIXED_COST_CONNECTIONS} connections`);
  const measured = await interleaved(
    variants,
    bodyOf(query),
    rounds,
    () => ({ shape: 'closed', connections: FIXED_COST_CONNECTIONS, ms: seconds * 1000 }),
    log,
  );
  const rps = (name: Variant['name']) => median(measured.get(name)?.rps ?? []);
  const bare = rps('bare-apollo');
  report.heading('Fixed cost: a one-field query at saturation');
  report.paragraph(
    `\`${query.query}\`, closed loop, ${FIXED_COST_CONNECTIONS} connections, ${seconds} s per server per round, ${rounds} interleaved rounds. ` +
      'Every server runs the same pure USCC check (src/identifiers/uscc.ts) in its resolver. The floor is plain node:http ' +
      "(no GraphQL at all); bare Apollo is the gateway's own HTTP and GraphQL stack with nothing of the gateway; the ratios " +
      'in the second column are to bare Apollo.',
  );
  report.table(
    [
      'server',
      'req/s median (min–max)',
      'to bare Apollo',
      'server CPU ms/req',
      'p50 ms',
      'p99 ms',
      'event-loop delay p99 ms',
      'failed',
    ],
    [...measured].map(([name, m]) => {
      const l = latencyOf(m.histogram);
      const range = (values: number[], digits: number) =>
        `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
      return [
        name,
        range(m.rps, 0),
        ratio(median(m.rps), bare),
        range(m.cpuMsPerRequest, 3),
        fmt(l.p50),
        fmt(l.p99),
        fmt(median(m.eventLoopDelayP99Ms)),
        String(m.failures),
      ];
    }),
  );
  for (const [name, share, label] of [
    ['shipped', 0.7, 'as shipped'],
    ['shipped-pg', 0.7, 'as shipped (PostgreSQL store)'],
    ['open', 0.9, 'permission layer off (open)'],
  ] as const) {
    if (!measured.has(name)) continue;
    report.target(
      `Fixed cost: one-field query ${label} ≥ ${share}× bare Apollo's req/s`,
      `${ratioNear(rps(name), bare, share)} (${fmt(rps(name), 0)} vs ${fmt(bare, 0)} req/s; Yoga ${fmt(rps('yoga'), 0)})`,
      rps(name) >= share * bare,
    );
  }
  // The machine's speed in this run, for figures whose targets are absolute (the attacks' 1 ms).
  return { bareApolloCpuMs: median(measured.get('bare-apollo')?.cpuMsPerRequest ?? []) };
}
