/**
 * The gateway against the floor: `npm run bench` (about fifteen minutes), `npm run bench -- --quick`
 * (about five, for iterating), `-- --smoke` (a couple of minutes: proves each phase runs);
 * `-- --memory=N` sets the memory phase's request count (100,000 in the full run, as the target says). Writes bench/RESULTS.md. Nothing here asserts on time.
 *
 * Processes: the four simulated agencies in one child, the floor and each gateway variant in
 * a child of its own, and this process as the load generator, so no server shares an event
 * loop with the load or with another server. CPU, memory and event-loop delay are read inside
 * each child (bench/harness/probe.ts).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simulatorControl } from '../simulators/control-client.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../src/domain/types.ts';
import { attackPhase, closedLoopPhase, openLoopPhase, saturationPhase, slowAgencyPhase } from './harness/phases.ts';
import { targetsMeasuredApart } from './harness/targets-measured-apart.ts';
import { coldStartPhase } from './harness/cold-start-phase.ts';
import { checkAnswers, upstreamPhase } from './harness/correctness.ts';
import { fixedCostPhase } from './harness/fixed-cost-phase.ts';
import { memoryMix, memoryPhase } from './harness/memory-phase.ts';
import { peerPhase } from './harness/peer-phase.ts';
import { clientOf, closedLoop } from './harness/load.ts';
import { settled, startChild } from './harness/processes.ts';
import { bodyOf, checkUscc, largeList, lifecycle, meshLargeList, meshLifecycle, trivial } from './harness/queries.ts';
import { Report } from './harness/report.ts';
import { PEERS, startVariants, TITLES, UPSTREAM_TIMEOUT_MS, type VariantName } from './harness/variants.ts';
import { settledReading } from './harness/settled-reading.ts';
import { shippedOnPostgres } from './harness/postgres-variant.ts';

const smoke = process.argv.includes('--smoke');
const quick = smoke || process.argv.includes('--quick');
/**
 * How long each phase runs. `--smoke` proves every phase works in a couple of minutes on a busy
 * machine; its figures mean nothing. `--quick` is for iterating; the full run is for RESULTS.md.
 */
const size = smoke
  ? {
      scale: 0.1,
      rounds: 1,
      saturationRounds: 1,
      seconds: 1,
      openSeconds: 2,
      openRounds: 1,
      attacks: 10,
      slowSeconds: 2,
      memory: 300,
    }
  : quick
    ? {
        scale: 0.3,
        rounds: 2,
        saturationRounds: 2,
        seconds: 3,
        openSeconds: 4,
        openRounds: 1,
        attacks: 50,
        slowSeconds: 5,
        memory: 5_000,
      }
    : {
        scale: 1,
        rounds: 5,
        saturationRounds: 3,
        seconds: 6,
        openSeconds: 10,
        openRounds: 2,
        attacks: 1000,
        slowSeconds: 50,
        memory: 100_000,
      };
/** Requests of the memory phase: the target is stated over 100,000 mixed requests, the full run's default. */
const memoryRequests = Number(
  process.argv.find((a) => a.startsWith('--memory='))?.slice('--memory='.length) ?? size.memory,
);
const log = (line: string) => process.stderr.write(`${line}\n`);
const startedAt = Date.now();

/** Per-system latency with a tail: 1% of answers take 150 ms longer. */
const LATENCY: Record<AgencySystem, number> = { approval: 10, supervision: 20, enforcement: 30, credit: 40 };
const TAIL = { jitterMs: 4, slowRate: 0.01, slowMs: 150 };

const sims = await startChild('simulators', './simulators-process.ts', {});
const upstreams = sims.ready.urls as Record<AgencySystem, string>;
const controls = Object.fromEntries(AGENCY_SYSTEMS.map((s) => [s, simulatorControl(upstreams[s])])) as Record<
  AgencySystem,
  ReturnType<typeof simulatorControl>
>;
const names: VariantName[] = ['floor', 'shipped', 'open', 'naive'];
const variants = await startVariants(upstreams, names);
// Peers of the gateway: the one-field servers take part in the fixed-cost phase alone, the Mesh
// peer in the peer phase alone (it answers the lifecycle and the large list in its own schema).
const peers = await startVariants(upstreams, [...PEERS, 'hive']);
const byName = (name: VariantName) => [...variants, ...peers].find((v) => v.name === name)!;
// Gateways keep syncing their loop index in the background after they listen; measure only once idle.
for (const variant of [...variants, ...peers]) await settled(variant.child);
// The shipped gateway again on production's store, beside the embedded one wherever the access
// log's INSERT weighs (the fixed cost, the large list, the attacks); absent when no server answers.
const onPostgres = await shippedOnPostgres(upstreams, log);
const shippedPg = onPostgres ? [onPostgres.variant] : [];
log(`started in ${((Date.now() - startedAt) / 1000).toFixed(0)} s`);

const report = new Report();
try {
  await Promise.all(AGENCY_SYSTEMS.map((s) => controls[s].setFaults({ latencyMs: LATENCY[s], ...TAIL })));
  // The lifecycle's subjects: the first for the trivial query and the attacks, all for the Mesh peer's lifecycle.
  const lifecycleUsccs = await (async () => {
    const client = clientOf(byName('floor'), 1);
    const sent = await client.send(bodyOf(lifecycle));
    await client.close();
    return (
      JSON.parse(sent.text) as { data: { subjects: { nodes: Array<{ uscc: string }> } } }
    ).data.subjects.nodes.map((n) => n.uscc);
  })();
  const firstUscc = lifecycleUsccs[0]!;
  const queries = { lifecycle, largeList, trivial: trivial(firstUscc) };
  const fixedCostQuery = checkUscc(firstUscc);
  const fixedCostVariants = [
    ...(['floor', 'bare-apollo', 'yoga', 'open', 'shipped'] as const).map(byName),
    ...shippedPg,
  ];

  await checkAnswers(
    report,
    [
      ...Object.values(queries).map((q) => [q, q === largeList ? [...variants, ...shippedPg] : variants] as const),
      [fixedCostQuery, fixedCostVariants] as const,
    ],
    log,
  );
  await upstreamPhase(report, variants, [queries.lifecycle, queries.largeList], controls, log);

  log('warm-up');
  for (const variant of variants) {
    const few = variant.name === 'naive' ? 0.2 : 1;
    for (const [query, n] of [
      [queries.lifecycle, 60],
      [queries.largeList, 80],
      [queries.trivial, 300],
      [fixedCostQuery, 300],
    ] as const) {
      await closedLoop(variant, bodyOf(query), 4, { requests: Math.ceil(n * few) });
    }
  }
  for (const peer of peers.filter((p) => p.name !== 'hive'))
    await closedLoop(peer, bodyOf(fixedCostQuery), 4, { requests: 300 });
  for (const variant of shippedPg) {
    await closedLoop(variant, bodyOf(queries.largeList), 4, { requests: 80 });
    await closedLoop(variant, bodyOf(fixedCostQuery), 4, { requests: 300 });
  }
  await closedLoop(byName('hive'), bodyOf(meshLargeList), 4, { requests: 80 });
  await closedLoop(byName('hive'), bodyOf(meshLifecycle(lifecycleUsccs)), 4, { requests: 60 });

  const memoryBefore = await settledReading(byName('shipped').child);
  // Production's store keeps Postgres out of the gateway's process: the memory target's own reading.
  const memoryBeforeOnPostgres = onPostgres ? await settledReading(onPostgres.variant.child) : undefined;
  const { scale, rounds } = size;
  await closedLoopPhase(report, variants, queries, { rounds, scale, connections: 1, log });
  await closedLoopPhase(report, variants, queries, { rounds, scale, connections: 8, log });
  const { bareApolloCpuMs } = await fixedCostPhase(report, fixedCostVariants, fixedCostQuery, {
    rounds: size.saturationRounds,
    seconds: size.seconds,
    log,
  });
  const saturation = await saturationPhase(report, variants, queries, {
    rounds: size.saturationRounds,
    seconds: size.seconds,
    log,
    shippedOnPostgres: onPostgres?.variant,
  });
  await peerPhase(
    report,
    { floor: byName('floor'), shipped: byName('shipped'), hive: byName('hive') },
    [
      { ours: queries.lifecycle, mesh: meshLifecycle(lifecycleUsccs), connections: 16 },
      { ours: queries.largeList, mesh: meshLargeList, connections: 8 },
    ],
    controls,
    { rounds: size.saturationRounds, seconds: size.seconds, log },
  );
  await openLoopPhase(report, variants, queries.lifecycle, {
    ratePerSecond: Math.max(5, Math.floor(saturation.shippedLifecycleRps * 0.6)),
    seconds: size.openSeconds,
    rounds: size.openRounds,
    log,
  });
  await attackPhase(report, variants, firstUscc, {
    requests: size.attacks,
    log,
    bareApolloCpuMs,
    shippedOnPostgres: onPostgres?.variant,
  });
  await slowAgencyPhase(report, byName('shipped'), controls, {
    seconds: size.slowSeconds,
    timeoutMs: UPSTREAM_TIMEOUT_MS,
    log,
  });
  await Promise.all(AGENCY_SYSTEMS.map((s) => controls[s].setFaults({ latencyMs: LATENCY[s], ...TAIL })));
  await memoryPhase(report, byName('shipped'), memoryMix({ ...queries, checkUscc: fixedCostQuery }), memoryBefore, {
    total: memoryRequests,
    log,
    afterWarmUpOnPostgres: memoryBeforeOnPostgres,
  });
} finally {
  for (const variant of [...variants, ...peers]) await variant.child.close();
  await onPostgres?.close();
  await sims.close();
}
// Alone on the machine's share of this run: nothing else of the benchmark is running now.
await coldStartPhase(report, log);
targetsMeasuredApart(report);

const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bench'], {
  encoding: 'utf8',
}).trim()
  ? ' (with uncommitted changes in src/ or bench/)'
  : '';
const preamble = `# Benchmark: the gateway against the floor

Produced by \`npm run bench${smoke ? ' -- --smoke' : quick ? ' -- --quick' : ''}\` (bench/run.ts, bench/harness/); a re-run replaces this file.

- Date: ${new Date().toISOString()}
- Commit: ${commit}${dirty}
- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}
- Run time: ${((Date.now() - startedAt) / 60_000).toFixed(1)} min${smoke ? ' (--smoke: proves each phase runs; the figures mean nothing)' : quick ? ' (--quick: fewer rounds and requests; figures are rougher)' : ''}

Simulated agencies (one child process, scale 1, seed 42) answer after ${AGENCY_SYSTEMS.map((s) => `${s} ${LATENCY[s]} ms`).join(', ')},
plus up to ${TAIL.jitterMs} ms of jitter, and ${TAIL.slowRate * 100}% of answers ${TAIL.slowMs} ms later (the tail).
Variants, each in its own child process:

${[...names, ...(onPostgres ? ['shipped-pg' as const] : []), ...PEERS, 'hive' as const].map((n) => `- **${n}**: ${TITLES[n]}`).join('\n')}

The shipped gateway is called by the demo issuer's \`county-enforcement\` preset with a purpose (matter number), so
conditional fields are allowed and sharing rules, masking, jurisdiction and the access log all do their work. Gateways
log one line per request at \`info\` (to /dev/null) as shipped, keep their PGlite store on disk, and have an
upstream timeout of ${UPSTREAM_TIMEOUT_MS} ms per attempt and the same as the deadline of a whole call (UPSTREAM_DEADLINE_MS; unset, a call may
take every retry's timeout plus the backoffs). The per-caller rate limit is raised out of reach (one caller
sends all the load); the limiter still runs on every request.

Latencies are measured by the load generator (undici Pool, HdrHistogram); CPU ms/req, memory and event-loop delay inside
each server's process. Ratios are to the floor in the same run. CPU ms/req at 1 connection includes each process's
fixed background work (timers, GC, keep-alive) spread over few requests; the saturation tables show the cost of a request.
Before any measurement each server is left to finish its start-up work (under 5% of a core for a second).
`;
// A smoke run's figures mean nothing: they go to a scratch file, never over the committed results.
const resultsPath = smoke
  ? join(tmpdir(), 'bench-RESULTS-smoke.md')
  : fileURLToPath(new URL('./RESULTS.md', import.meta.url));
writeFileSync(resultsPath, report.render(preamble));
log(`wrote ${resultsPath} in ${((Date.now() - startedAt) / 60_000).toFixed(1)} min`);
