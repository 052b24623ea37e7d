/** The load shapes of `npm run bench`, each writing its tables and targets into the report. */
import type { SimulatorControl } from '../../simulators/control-client.ts';
import type { AgencySystem } from '../../src/domain/types.ts';
import { openLoop } from './load.ts';

/**
 * Requests per second of each query in the slow-agency scenario. The query not touching the slow
 * agency is the one whose p99 is compared before and after, and the simulators delay 1% of
 * answers by 150 ms: PermitsOnly makes two upstream calls, so about 2% of its answers are in that
 * tail, right around the p99. Over ~120 answers one tail answer more or less moved the p99 by
 * 150 ms (3.48× in one run, 0.99× in the one before); over ~1,000 (a full run: 50 s at 20/s)
 * about twenty are in the tail on either side and the p99 falls among them. Not faster: at 40/s
 * a busy machine queued PermitsOnly on the gateway's CPU, which is not what this phase measures.
 * CreditOnly keeps its pace: each of its calls holds one of credit's concurrency slots for a
 * whole timeout.
 */
const RATE = { touching: 10, notTouching: 20 } as const;
import { attacks, bodyOf, creditOnly, permitsOnly, type BenchQuery } from './queries.ts';
import type { Report } from './report.ts';
import { interleaved, measureOnce, type Measurements } from './rounds.ts';
import { fmt, latencyOf, median, ratio, ratioNear } from './summary.ts';
import type { Variant } from './variants.ts';

type Log = (line: string) => void;
interface Queries {
  lifecycle: BenchQuery;
  largeList: BenchQuery;
  trivial: BenchQuery;
}

const range = (values: readonly number[], digits = 1) =>
  `${fmt(median(values), digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;

/** One row per variant: latency percentiles, their ratio to the floor, throughput, CPU, event-loop delay. */
function latencyTable(report: Report, measured: Measurements) {
  const floor = measured.get('floor');
  const floorLatency = floor ? latencyOf(floor.histogram) : undefined;
  const rows = [...measured].map(([name, m]) => {
    const l = latencyOf(m.histogram);
    return [
      name,
      String(m.requests),
      fmt(l.p50),
      fmt(l.p90),
      fmt(l.p99),
      fmt(l.max),
      floorLatency ? `${ratio(l.p50, floorLatency.p50)} / ${ratio(l.p99, floorLatency.p99)}` : '–',
      range(m.rps),
      range(m.cpuMsPerRequest, 2),
      fmt(median(m.eventLoopDelayP99Ms)),
      m.failures ? `**${m.failures}**` : '0',
    ];
  });
  report.table(
    [
      'variant',
      'requests',
      'p50 ms',
      'p90 ms',
      'p99 ms',
      'max ms',
      'p50 / p99 to floor',
      'req/s per round, median (min–max)',
      'server CPU ms/req, median (min–max)',
      'event-loop delay p99 ms',
      'failed',
    ],
    rows,
  );
}

export async function closedLoopPhase(
  report: Report,
  variants: readonly Variant[],
  queries: Queries,
  options: { rounds: number; scale: number; connections: number; log: Log },
) {
  const { rounds, scale, connections, log } = options;
  const perRound =
    connections === 1
      ? { Lifecycle: 30, LargeList: 40, Trivial: 150 }
      : { Lifecycle: 80, LargeList: 120, Trivial: 400 };
  const list =
    connections === 1
      ? [queries.lifecycle, queries.largeList, queries.trivial]
      : [queries.lifecycle, queries.largeList];
  report.heading(`Closed loop, ${connections} connection${connections === 1 ? '' : 's'}`);
  report.paragraph(
    `${rounds} interleaved rounds; each client sends its next request when its last is answered. Naive gets a fifth of the requests.`,
  );
  for (const query of list) {
    log(`closed loop c=${connections} ${query.name}`);
    const base = Math.max(connections * 2, Math.round(perRound[query.name as keyof typeof perRound] * scale));
    const measured = await interleaved(
      variants,
      bodyOf(query),
      rounds,
      (v) => ({
        shape: 'closed',
        connections,
        requests: v.name === 'naive' ? Math.max(connections, Math.round(base / 5)) : base,
      }),
      log,
    );
    report.paragraph(`**${query.name}**`);
    latencyTable(report, measured);
    if (query.name === 'Lifecycle' && connections === 1) {
      const floor = latencyOf(measured.get('floor')!.histogram);
      const shipped = latencyOf(measured.get('shipped')!.histogram);
      report.target(
        'Lifecycle, 1 connection: shipped p50 ≤ 1.2× floor',
        `${ratioNear(shipped.p50, floor.p50, 1.2)} (${fmt(shipped.p50)} vs ${fmt(floor.p50)} ms)`,
        shipped.p50 <= 1.2 * floor.p50,
      );
      report.target(
        'Lifecycle, 1 connection: shipped p99 ≤ 1.3× floor',
        `${ratioNear(shipped.p99, floor.p99, 1.3)} (${fmt(shipped.p99)} vs ${fmt(floor.p99)} ms)`,
        shipped.p99 <= 1.3 * floor.p99,
      );
    }
  }
}

/** Enough connections that each server, not the upstream latency, is the limit. */
export async function saturationPhase(
  report: Report,
  variants: readonly Variant[],
  queries: Queries,
  options: {
    rounds: number;
    seconds: number;
    log: Log;
    /** Measured on the large list too: production's store, where the access log's INSERT leaves the gateway's process. */
    shippedOnPostgres?: Variant;
  },
) {
  const { rounds, seconds, log, shippedOnPostgres } = options;
  const batched = variants.filter((v) => v.name !== 'naive');
  report.heading('Saturation');
  report.paragraph(
    `Closed loop with enough connections that each server's CPU is the limit (lifecycle 16, large list 8, trivial 16), ${seconds} s per variant per round, ${rounds} rounds; ` +
      'the naive variant is left out (its thousands of upstream requests would measure the simulators). ' +
      "All processes share the 2 cores, so the floor's figure is bounded by the simulators' and the load generator's CPU too." +
      (shippedOnPostgres
        ? " The large list is measured on the shipped gateway on PostgreSQL too (shipped-pg), production's store: on the embedded store PGlite runs the access log's INSERT in the gateway's own process, so its CPU counts as the gateway's."
        : ''),
  );
  const rps = new Map<string, Measurements>();
  type Name = Parameters<Measurements['get']>[0];
  // More would only queue: each gateway's CPU is the limit well before this, and calls queued behind
  // its per-agency bulkhead count against the upstream deadline, so deeper queues turn into timeouts.
  for (const [query, connections] of [
    [queries.lifecycle, 16],
    [queries.largeList, 8],
    [queries.trivial, 16],
  ] as const) {
    log(`saturation ${query.name}`);
    const measured = await interleaved(
      query === queries.largeList && shippedOnPostgres ? [...batched, shippedOnPostgres] : batched,
      bodyOf(query),
      rounds,
      () => ({ shape: 'closed', connections, ms: seconds * 1000 }),
      log,
    );
    rps.set(query.name, measured);
    const floorRps = median(measured.get('floor')!.rps);
    report.paragraph(`**${query.name}**, ${connections} connections`);
    report.table(
      [
        'variant',
        'req/s median (min–max)',
        'to floor',
        'server CPU ms/req',
        'p50 ms',
        'p99 ms',
        'event-loop delay p99 ms',
        'failed',
      ],
      [...measured].map(([name, m]) => {
        const l = latencyOf(m.histogram);
        return [
          name,
          range(m.rps),
          ratio(median(m.rps), floorRps),
          range(m.cpuMsPerRequest, 2),
          fmt(l.p50),
          fmt(l.p99),
          fmt(median(m.eventLoopDelayP99Ms)),
          String(m.failures),
        ];
      }),
    );
  }
  const med = (query: string, name: Name) => median(rps.get(query)!.get(name)!.rps);
  report.target(
    'Saturation, lifecycle: shipped ≥ 0.6× floor req/s',
    `${ratioNear(med('Lifecycle', 'shipped'), med('Lifecycle', 'floor'), 0.6)} (${fmt(med('Lifecycle', 'shipped'))} vs ${fmt(med('Lifecycle', 'floor'))} req/s)`,
    med('Lifecycle', 'shipped') >= 0.6 * med('Lifecycle', 'floor'),
  );
  report.target(
    'Permission layer + access log cost ≤ 15% of lifecycle throughput (shipped / open ≥ 0.85)',
    ratioNear(med('Lifecycle', 'shipped'), med('Lifecycle', 'open'), 0.85),
    med('Lifecycle', 'shipped') >= 0.85 * med('Lifecycle', 'open'),
  );
  report.target(
    'Permission layer + access log cost ≤ 25% of large-list throughput (shipped / open ≥ 0.75)',
    ratioNear(med('LargeList', 'shipped'), med('LargeList', 'open'), 0.75),
    med('LargeList', 'shipped') >= 0.75 * med('LargeList', 'open'),
  );
  const cpu = (query: string, name: Name) => median(rps.get(query)!.get(name)!.cpuMsPerRequest);
  report.target(
    'Saturation, large list: shipped ≥ 0.6× floor req/s',
    `${ratioNear(med('LargeList', 'shipped'), med('LargeList', 'floor'), 0.6)} (${fmt(med('LargeList', 'shipped'))} vs ${fmt(med('LargeList', 'floor'))} req/s)`,
    med('LargeList', 'shipped') >= 0.6 * med('LargeList', 'floor'),
  );
  report.target(
    "Saturation, large list: shipped CPU per request ≤ 2× the floor's",
    `${ratioNear(cpu('LargeList', 'shipped'), cpu('LargeList', 'floor'), 2)} (${fmt(cpu('LargeList', 'shipped'), 2)} vs ${fmt(cpu('LargeList', 'floor'), 2)} ms)`,
    cpu('LargeList', 'shipped') <= 2 * cpu('LargeList', 'floor'),
  );
  if (rps.get('LargeList')!.has('shipped-pg')) {
    report.target(
      'Saturation, large list (PostgreSQL store): shipped ≥ 0.6× floor req/s',
      `${ratioNear(med('LargeList', 'shipped-pg'), med('LargeList', 'floor'), 0.6)} (${fmt(med('LargeList', 'shipped-pg'))} vs ${fmt(med('LargeList', 'floor'))} req/s)`,
      med('LargeList', 'shipped-pg') >= 0.6 * med('LargeList', 'floor'),
    );
    report.target(
      "Saturation, large list (PostgreSQL store): shipped CPU per request ≤ 2× the floor's",
      `${ratioNear(cpu('LargeList', 'shipped-pg'), cpu('LargeList', 'floor'), 2)} (${fmt(cpu('LargeList', 'shipped-pg'), 2)} vs ${fmt(cpu('LargeList', 'floor'), 2)} ms)`,
      cpu('LargeList', 'shipped-pg') <= 2 * cpu('LargeList', 'floor'),
    );
  }
  return { shippedLifecycleRps: med('Lifecycle', 'shipped') };
}

export async function openLoopPhase(
  report: Report,
  variants: readonly Variant[],
  query: BenchQuery,
  options: { ratePerSecond: number; seconds: number; rounds: number; log: Log },
) {
  const { ratePerSecond, seconds, rounds, log } = options;
  log(`open loop ${query.name} at ${ratePerSecond}/s`);
  const measured = await interleaved(
    variants.filter((v) => v.name !== 'naive'),
    bodyOf(query),
    rounds,
    () => ({ shape: 'open', ratePerSecond, ms: seconds * 1000 }),
    log,
  );
  report.heading('Open loop, constant rate');
  report.paragraph(
    `${query.name} at ${ratePerSecond} req/s (60% of the shipped gateway's saturation rate) for ${seconds} s per variant, ${rounds} round(s). ` +
      'Each latency is measured from the moment its request was scheduled, not from when it was sent, so a stall ' +
      'anywhere shows in every request it delayed (no coordinated omission).',
  );
  latencyTable(report, measured);
  const floorP99 = latencyOf(measured.get('floor')!.histogram).p99;
  const shippedP99 = latencyOf(measured.get('shipped')!.histogram).p99;
  report.target(
    'Open loop at 60% of shipped saturation: shipped p99 ≤ 1.5× floor',
    `${ratioNear(shippedP99, floorP99, 1.5)} (${fmt(shippedP99)} vs ${fmt(floorP99)} ms)`,
    shippedP99 <= 1.5 * floorP99,
  );
}

/** Rounds each attack's measured requests are split into; the figure is the median round's. */
const ATTACK_ROUNDS = 5;

function attackRoundRequests(requests: number): number {
  return Math.max(20, Math.round(requests / ATTACK_ROUNDS));
}

/** Requests sent before an attack is measured. */
function warmUp(requests: number): number {
  return Math.max(10, Math.round(requests / 5));
}

export async function attackPhase(
  report: Report,
  variants: readonly Variant[],
  uscc: string,
  options: {
    requests: number;
    log: Log;
    bareApolloCpuMs?: number;
    /** The shipped gateway on PostgreSQL, where the access log's INSERT runs in the server's process, not the gateway's. */
    shippedOnPostgres?: Variant;
  },
) {
  const { bareApolloCpuMs, shippedOnPostgres } = options;
  const rows: string[][] = [];
  const measured = [
    ...variants.filter((v) => v.name === 'shipped' || v.name === 'open').map((v) => ({ variant: v, label: v.name })),
    ...(shippedOnPostgres ? [{ variant: shippedOnPostgres, label: 'shipped, PostgreSQL' }] : []),
  ];
  for (const attack of attacks(uscc)) {
    // Unmeasured first: V8 compiles a refusal's path the first times it runs, and an attack is a flood.
    for (const { variant, label } of measured) {
      options.log(`attack ${attack.name} on ${label} (warm-up)`);
      await measureOnce(variant, attack.body, { shape: 'closed', connections: 2, requests: warmUp(options.requests) });
    }
    // Then short rounds, interleaved across the variants, and each variant's median round: a
    // gateway's CPU includes its background work (the registry's and the loop index's syncs, a few
    // hundred ms of CPU once a minute on either store), which one window of the whole count
    // catches or misses by chance (bench/notes/pg-refusals.md).
    options.log(`attack ${attack.name}: ${ATTACK_ROUNDS} rounds`);
    const rounds = await interleaved(
      measured.map((m) => m.variant),
      attack.body,
      ATTACK_ROUNDS,
      () => ({ shape: 'closed', connections: 2, requests: attackRoundRequests(options.requests) }),
      options.log,
    );
    for (const { variant, label } of measured) {
      const m = rounds.get(variant.name)!;
      const cpuPerRequest = median(m.cpuMsPerRequest);
      const rejected = m.failures === m.requests;
      const l = latencyOf(m.histogram);
      rows.push([
        attack.name,
        label,
        `${(attack.body.length / 1024).toFixed(1)} KiB`,
        rejected ? 'all' : `**${m.failures} of ${m.requests}**`,
        range(m.cpuMsPerRequest, 3),
        bareApolloCpuMs ? ratio(cpuPerRequest, bareApolloCpuMs) : 'not measured',
        m.markCompacts.join(', '),
        fmt(l.p50, 2),
        fmt(l.p99, 2),
      ]);
      if (variant.name === 'shipped' || variant.name === 'shipped-pg') {
        report.target(
          `Attack rejected under 1 ms CPU${variant === shippedOnPostgres ? ' (PostgreSQL store)' : ''}: ${attack.name}`,
          `${fmt(cpuPerRequest, 3)} ms${rejected ? '' : ', NOT all rejected'}`,
          rejected && cpuPerRequest < 1,
        );
      }
    }
  }
  report.heading('Attack queries');
  report.paragraph(
    `${ATTACK_ROUNDS} rounds of ${attackRoundRequests(options.requests)} requests each, interleaved across the variants, 2 connections, after ${warmUp(options.requests)} unmeasured ones of the same attack. ` +
      "CPU is the gateway process's own (process.cpuUsage), divided by the requests: the median round, and in brackets the rounds' range " +
      "(a round that holds one of the gateway's background syncs reads high); " +
      'it includes HTTP parsing and, for the shipped gateway, verifying the token. ' +
      "The next column divides it by bare Apollo's CPU for one `checkUscc` request in this run (fixed cost, above), " +
      "so the figures can be read apart from the machine's speed, which moves the milliseconds twofold from one day to the next " +
      '(bench/notes/bench-run-8798c96.md). ' +
      "Full GCs per round are the mark-compact collections in that gateway's process during each round: a few a round is V8 marking " +
      "back to back, which tripled the token attacks' CPU before `--heap-growing-percent=100` (bench/notes/heap-growing.md). " +
      (shippedOnPostgres
        ? "Every refusal is recorded in the access log before it is answered: on the embedded store that INSERT runs in the gateway's own process " +
          '(PGlite, about 0.3 ms of CPU for an entry written alone, as at 2 connections: `npx tsx bench/access-log-append-cost.ts`), ' +
          "so the shipped gateway is measured again on a scratch PostgreSQL database, production's store, where it runs in the server's process."
        : 'The shipped gateway on PostgreSQL was not measured (no server at BENCH_DATABASE_URL).'),
  );
  report.table(
    [
      'attack',
      'variant',
      'body',
      'rejected',
      'server CPU ms/req, median (min–max)',
      "in bare Apollo's requests",
      'full GCs per round',
      'p50 ms',
      'p99 ms',
    ],
    rows,
  );
}

/** One agency slowed far beyond the gateway's timeout while queries that do and do not touch it run side by side. */
export async function slowAgencyPhase(
  report: Report,
  shipped: Variant,
  controls: Record<AgencySystem, SimulatorControl>,
  options: { seconds: number; timeoutMs: number; log: Log },
) {
  const { seconds, timeoutMs, log } = options;
  // Open loop: callers keep their pace when answers fail fast (a closed loop would speed up and
  // starve the other query of CPU, which is the load generator's doing, not the slow agency's).
  const run = async () => {
    const [touching, notTouching] = await Promise.all([
      openLoop(shipped, bodyOf(creditOnly), RATE.touching, seconds * 1000),
      openLoop(shipped, bodyOf(permitsOnly), RATE.notTouching, seconds * 1000),
    ]);
    return { touching, notTouching };
  };
  log('slow agency: baseline');
  const baseline = await run();
  const slowMs = timeoutMs * 4;
  await controls.credit.setFaults({ latencyMs: slowMs, jitterMs: 0, slowRate: 0 });
  log(`slow agency: credit answers after ${slowMs} ms`);
  const slow = await run();
  await controls.credit.clearFaults();
  const row = (label: string, r: typeof baseline.touching) => {
    const l = latencyOf(r.histogram);
    return [label, String(r.requests), fmt(l.p50), fmt(l.p99), fmt(l.max), String(r.failures)];
  };
  report.heading('A slow agency');
  report.paragraph(
    `Shipped gateway; CreditOnly (touches credit) and PermitsOnly (approval and supervision only) run side by side, ` +
      `${RATE.touching} and ${RATE.notTouching} requests per second (open loop), ${seconds} s: first with every agency as usual, then with credit answering after ${slowMs} ms ` +
      `(the gateway's timeout is ${timeoutMs} ms per attempt). Answers that come back with errors count as failed.`,
  );
  report.table(
    ['query', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'failed'],
    [
      row('CreditOnly, all agencies normal', baseline.touching),
      row('PermitsOnly, all agencies normal', baseline.notTouching),
      row('CreditOnly, credit slow', slow.touching),
      row('PermitsOnly, credit slow', slow.notTouching),
    ],
  );
  const touchingP99 = latencyOf(slow.touching.histogram).p99;
  report.target(
    `Slow agency: p99 of queries touching it ≤ timeout + 50 ms (${timeoutMs + 50} ms)`,
    `${fmt(touchingP99)} ms`,
    touchingP99 <= timeoutMs + 50,
  );
  const before = latencyOf(baseline.notTouching.histogram);
  const after = latencyOf(slow.notTouching.histogram);
  report.target(
    'Slow agency: queries not touching it unaffected (p50 ≤ 1.2×, p99 ≤ 1.3× of normal)',
    `p50 ${ratio(after.p50, before.p50)}, p99 ${ratio(after.p99, before.p99)}`,
    after.p50 <= 1.2 * before.p50 && after.p99 <= 1.3 * before.p99,
  );
}
