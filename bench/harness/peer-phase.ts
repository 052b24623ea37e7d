/**
 * The Mesh / Hive Gateway peer beside the floor and the shipped gateway, on the two queries it can
 * ask (in its own schema: bench/hive/mesh.config.ts, bench/harness/queries.ts). Its answers carry
 * each agency's own field names and formats, so they are compared by the upstream requests they
 * cost and their size, not by equal data.
 */
import type { SimulatorControl } from '../../simulators/control-client.ts';
import type { AgencySystem } from '../../src/domain/types.ts';
import { clientOf } from './load.ts';
import { bodyOf, type BenchQuery } from './queries.ts';
import type { Report } from './report.ts';
import { interleaved } from './rounds.ts';
import { fmt, latencyOf, median, ratio } from './summary.ts';
import { describeBatches, upstreamCost } from './upstream-counts.ts';
import type { Variant } from './variants.ts';

export interface PeerQuery {
  ours: BenchQuery;
  mesh: BenchQuery;
  /** Connections at saturation, as in the saturation phase. */
  connections: number;
}

const CANNOT_EXPRESS = [
  "`subjects(filter: { townshipCode })`, the lifecycle's entry: no agency API lists a township's subjects (approval lists enterprises by page only), " +
    "and Mesh keeps no registry of its own; the peer's lifecycle starts from the same 20 USCCs given as a list (`enterprisesByUscc`), one approval request more than the floor.",
  "A subject's own inspections: supervision names older subjects by their 15-digit 注册号, so a link keyed by USCC misses them; a second link keyed by `legacyRegNo` gives a second list the caller must merge (the gateway's registry maps one to the other). The lifecycle reaches inspections through permits and is not affected.",
  "Formats: statuses as numbers or Chinese labels, amounts in fen or 万元, dates in four styles pass through as each agency sends them (Mesh's DateTime scalar even turns approval's +08:00 midnights into the previous day in UTC); " +
    "mapping them needs resolver code per field, which is what the gateway's connectors are.",
  'Field-level sharing rules, masking, jurisdiction, purposes and the access log: none (the comparison is with the permission layer off in the peer).',
  "Loop-index queries (`loopGaps`, `authorityPerformance`): they read the gateway's own index, which has no counterpart in a stateless composition.",
];

export async function peerPhase(
  report: Report,
  variants: { floor: Variant; shipped: Variant; hive: Variant },
  queries: readonly PeerQuery[],
  controls: Record<AgencySystem, SimulatorControl>,
  options: { rounds: number; seconds: number; log: (line: string) => void },
) {
  const { rounds, seconds, log } = options;
  const list = [variants.floor, variants.shipped, variants.hive];
  const bodyFor = (q: PeerQuery) => (v: Variant) => bodyOf(v.name === 'hive' ? q.mesh : q.ours);
  report.heading('A peer: Mesh / Hive Gateway over the same agencies');
  report.paragraph(
    'bench/hive/mesh.config.ts composes the four agency APIs (written from docs/agency-apis.md, JSON Schema handler with response samples) ' +
      'and links them by USCC, permit, inspection, case and decision numbers with batched `@resolveTo` (`keysArg` + `valueKeyField`); ' +
      "`mesh-compose` writes the supergraph and Hive Gateway's runtime serves it, offline, with no permission layer. " +
      `Closed loop at saturation, ${seconds} s per server per round, ${rounds} interleaved rounds.`,
  );
  const rows: string[][] = [];
  const costRows: string[][] = [];
  for (const q of queries) {
    for (const v of list) {
      const body = bodyFor(q)(v);
      const cost = await upstreamCost(v, body, controls);
      const client = clientOf(v, 1);
      const sent = await client.send(body);
      await client.close();
      costRows.push([
        q.ours.name,
        v.name,
        String(cost.total),
        (Object.entries(cost.batchKeys) as Array<[string, number[]]>)
          .filter(([, k]) => k.length)
          .map(([s, k]) => `${s}: ${describeBatches(k)}`)
          .join('; '),
        `${(sent.text.length / 1024).toFixed(1)} KiB`,
        sent.status === 200 && !sent.text.includes('"errors":')
          ? 'none'
          : `**HTTP ${sent.status}, ${sent.text.slice(0, 120)}**`,
      ]);
    }
    log(`peer ${q.ours.name} at ${q.connections} connections`);
    const measured = await interleaved(
      list,
      bodyFor(q),
      rounds,
      () => ({ shape: 'closed', connections: q.connections, ms: seconds * 1000 }),
      log,
    );
    const floorRps = median(measured.get('floor')!.rps);
    const floorLatency = latencyOf(measured.get('floor')!.histogram);
    for (const [name, m] of measured) {
      const l = latencyOf(m.histogram);
      rows.push([
        q.ours.name,
        name,
        fmt(median(m.rps)),
        ratio(median(m.rps), floorRps),
        fmt(median(m.cpuMsPerRequest), 2),
        `${fmt(l.p50)} / ${fmt(l.p99)}`,
        `${ratio(l.p50, floorLatency.p50)} / ${ratio(l.p99, floorLatency.p99)}`,
        String(m.failures),
      ]);
    }
  }
  report.paragraph('Upstream requests and answer of one request each (counted by the simulators):');
  report.table(['query', 'server', 'upstream requests', 'batch sizes', 'response', 'errors'], costRows);
  report.paragraph(`At saturation (lifecycle and large list at the saturation phase's connection counts):`);
  report.table(
    ['query', 'server', 'req/s', 'to floor', 'server CPU ms/req', 'p50 / p99 ms', 'p50 / p99 to floor', 'failed'],
    rows,
  );
  report.paragraph(`What the peer cannot express, and why:\n\n${CANNOT_EXPRESS.map((line) => `- ${line}`).join('\n')}`);
}
