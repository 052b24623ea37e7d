/**
 * Memory of the gateway process alone over a long mixed load: `npm run bench:memory`.
 *
 *   npm run bench:memory -- [--store=postgres|pglite] [--requests=100000] [--readings=10]
 *                           [--semi-space=<MB>|default] [--snapshots]
 *                           [--env='{"MALLOC_ARENA_MAX":"2"}'] [--flags="--heap-growing-percent=20"]
 *
 * The simulators (scale 1, seed 42) run in a child process of their own, the gateway as shipped
 * (tokens, sharing rules, access log) in another, on PostgreSQL (a scratch database on
 * BENCH_DATABASE_URL, default the local server) or on the embedded PGlite store. Every reading
 * follows two full GCs, so growth is what stays reachable. Readings: after warm-up, then
 * `--readings` times along the run; the verdicts compare the first and the last (targets: heap
 * after GC < 5% growth, RSS < 10%, RSS after warm-up ≤ 250 MB). `--snapshots` writes a heap
 * snapshot after warm-up and at the end (`--heapsnapshot-signal`) for `bench/heap-diff.ts`.
 * `--semi-space=64` adds `--max-semi-space-size=64` (what `npm start` used to run with) to weigh
 * that flag. A heap snapshot leaves its working memory in malloc (about 200 MB seen), so with
 * `--snapshots` the RSS readings after the first are not comparable with a run without.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDemoToken } from '../src/auth/index.ts';
import type { AgencySystem } from '../src/domain/types.ts';
import { clientOf, closedLoop } from './harness/load.ts';
import { compiledGatewayProcess } from './harness/compiled-gateway.ts';
import { memoryMix } from './harness/memory-phase.ts';
import { settled, startChild } from './harness/processes.ts';
import { bodyOf, checkUscc, largeList, lifecycle, trivial } from './harness/queries.ts';
import { createScratchDatabase } from './harness/scratch-database.ts';
import { SETTLE_MS, type SettledReading, settledReading } from './harness/settled-reading.ts';
import { type RssPart, rssByPart, sampleRss } from './harness/smaps.ts';
import { GATEWAY_NODE_FLAGS, gatewayNodeEnv } from './harness/variants.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const store = arg('store', 'postgres');
const total = Number(arg('requests', '100000'));
const readings = Number(arg('readings', '10'));
const semiSpace = arg('semi-space', 'default');
const snapshots = process.argv.includes('--snapshots');
/** Extra environment for the gateway alone (a malloc setting to weigh); printed with the verdicts. */
const extraEnv = JSON.parse(arg('env', '{}')) as Record<string, string>;
/** Extra Node/V8 flags for the gateway, after the shipped ones (so they override them). */
const extraFlags = arg('flags', '').split(' ').filter(Boolean);
const log = (line: string) => process.stderr.write(`${line}\n`);
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

const sims = await startChild('simulators', './simulators-process.ts', {});
const upstreams = sims.ready.urls as Record<AgencySystem, string>;
const database =
  store === 'postgres'
    ? await createScratchDatabase(
        process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test',
        'otel_memory',
      )
    : null;
const dataDir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
const snapshotDir = mkdtempSync(join(tmpdir(), 'bench-memory-snapshots-'));
const flags = [
  ...GATEWAY_NODE_FLAGS,
  ...(semiSpace === 'default' ? [] : [`--max-semi-space-size=${semiSpace}`]),
  ...extraFlags,
  ...(snapshots ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshotDir}`] : []),
];
const gateway = await startChild(
  'gateway',
  compiledGatewayProcess(),
  {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ...(database ? { DATABASE_URL: database.url } : {}),
    LOG_LEVEL: 'info',
    AUTH_REQUIRED: 'true',
    REGISTRY_SYNC_INTERVAL_MS: '3600000',
    LOOP_INDEX_SYNC_INTERVAL_MS: '3600000',
    RATE_LIMIT_PER_MINUTE: '100000000',
    // Generous: on a shared, overloaded machine a 2 s timeout turns queueing into errors, and an
    // answer with errors is less work than a full one.
    UPSTREAM_TIMEOUT_MS: '10000',
    UPSTREAM_DEADLINE_MS: '10000',
    APPROVAL_URL: upstreams.approval,
    SUPERVISION_URL: upstreams.supervision,
    ENFORCEMENT_URL: upstreams.enforcement,
    CREDIT_URL: upstreams.credit,
    ...gatewayNodeEnv(extraEnv),
  },
  flags,
);

/** Heap snapshots are written by the child on SIGUSR2; waits until the new file is complete. */
async function snapshot(): Promise<void> {
  if (!snapshots) return;
  const before = new Set(readdirSync(snapshotDir));
  process.kill(Number(gateway.ready.pid), 'SIGUSR2');
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    // The child is busy writing (its event loop blocked) until the snapshot is done: a probe answers after.
    await gateway.probe('read');
    if (readdirSync(snapshotDir).some((f) => !before.has(f))) return;
  }
}

interface Row {
  after: number;
  /** After two full GCs; RSS SETTLE_MS later (bench/harness/settled-reading.ts). */
  reading: SettledReading;
  /** The split of that RSS by mapping. */
  parts: Map<RssPart, number>;
  /** RSS sampled while the requests before this reading ran. */
  underLoad: { meanBytes: number; maxBytes: number; atMax: Map<RssPart, number> };
}

/** Runs `requests` of the mix while sampling the gateway's RSS. */
async function loadSampled(run: () => Promise<{ failures: number }>) {
  const sampler = sampleRss(Number(gateway.ready.pid));
  const result = await run();
  return { failures: result.failures, underLoad: sampler.stop() };
}

async function readingRow(after: number, underLoad: Row['underLoad']): Promise<Row> {
  const reading = await settledReading(gateway);
  return { after, reading, parts: rssByPart(Number(gateway.ready.pid)), underLoad };
}

const part = (row: Row, name: RssPart) => mb(row.parts.get(name) ?? 0);

const rows: Row[] = [];
try {
  const target = {
    name: 'shipped',
    url: String(gateway.ready.url),
    headers: {
      authorization: `Bearer ${await signDemoToken('county-enforcement', { dataDir })}`,
      'x-purpose': encodeURIComponent('瑞综执立〔2026〕88号'),
    },
  };
  await settled(gateway);
  // At ready: what start-up alone holds (libraries, schema, store), before any request.
  const atReady = await settledReading(gateway);
  log(
    `ready: RSS ${mb(atReady.rssBytes)} MB, WebAssembly ${mb(atReady.wasmBytes)} MB, heap ${mb(atReady.heapUsedBytes)} MB`,
  );
  const client = clientOf(target, 1);
  const first = JSON.parse((await client.send(bodyOf(lifecycle))).text) as {
    data: { subjects: { nodes: Array<{ uscc: string }> } };
  };
  await client.close();
  const uscc = first.data.subjects.nodes[0]!.uscc;
  const mix = memoryMix({ checkUscc: checkUscc(uscc), trivial: trivial(uscc), largeList, lifecycle });
  log('warm-up: 2,000 mixed requests');
  const warmUp = await loadSampled(() => closedLoop(target, mix, 16, { requests: 2_000 }));
  rows.push(await readingRow(0, warmUp.underLoad));
  log(
    `after warm-up: RSS ${mb(rows[0]!.reading.rssBytes)} MB, WebAssembly ${mb(rows[0]!.reading.wasmBytes)} MB, heap ${mb(rows[0]!.reading.heapUsedBytes)} MB`,
  );
  await snapshot();
  const loadAtStart = loadavg()[0]!;
  const started = Date.now();
  let failures = 0;
  for (let i = 1; i <= readings; i += 1) {
    const result = await loadSampled(() => closedLoop(target, mix, 16, { requests: Math.round(total / readings) }));
    failures += result.failures;
    rows.push(await readingRow((total / readings) * i, result.underLoad));
    log(
      `under load: ${[...result.underLoad.atMax].map(([name, bytes]) => `${name} ${mb(bytes)}`).join(', ')} MB at the highest sample`,
    );
    log(
      `${rows.at(-1)!.after} requests: RSS ${mb(rows.at(-1)!.reading.rssBytes)} MB (${mb(rows.at(-1)!.reading.rssRightAfterGcBytes)} right after the GCs), heap ${mb(rows.at(-1)!.reading.heapUsedBytes)} MB`,
    );
  }
  await snapshot();
  const seconds = (Date.now() - started) / 1000;
  const [start, end] = [rows[0]!.reading, rows.at(-1)!.reading];
  const underLoadMax = Math.max(...rows.slice(1).map((row) => row.underLoad.maxBytes));
  const lines = [
    `Gateway as shipped on ${store === 'postgres' ? 'PostgreSQL' : 'the embedded PGlite store'}, scale 1, Node flags \`${flags.filter((f) => !f.includes('diagnostic-dir')).join(' ') || '(none)'}\`, environment ${JSON.stringify(gatewayNodeEnv(extraEnv))}; ${total} mixed requests (per ten: 4 CheckUscc, 4 Trivial, 1 LargeList, 1 Lifecycle) after 2,000 of warm-up, 16 connections, ${(total / seconds).toFixed(0)} req/s, ${failures} failed; load average at start ${loadAtStart.toFixed(1)}. Each reading after two full GCs, RSS ${SETTLE_MS / 1000} s later; "under load" samples RSS every 200 ms while the requests before the reading ran.`,
    '',
    `At ready (before any request, after two full GCs): RSS ${mb(atReady.rssBytes)} MB, WebAssembly ${mb(atReady.wasmBytes)} MB, heap used ${mb(atReady.heapUsedBytes)} MB, heap total ${mb(atReady.heapTotalBytes)} MB, external ${mb(atReady.externalBytes)} MB.`,
    '',
    `| after requests | RSS under load before, mean / max MB | RSS right after the GCs MB | RSS ${SETTLE_MS / 1000} s later MB | WebAssembly MB | RSS less WebAssembly MB | heap used MB | heap total MB | external MB | V8 pages MB | malloc brk MB | malloc arenas MB | other anonymous MB |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.after} | ${mb(row.underLoad.meanBytes)} / ${mb(row.underLoad.maxBytes)} | ${mb(row.reading.rssRightAfterGcBytes)} | ${mb(row.reading.rssBytes)} | ${mb(row.reading.wasmBytes)} | ${mb(row.reading.rssBytes - row.reading.wasmBytes)} | ${mb(row.reading.heapUsedBytes)} | ${mb(row.reading.heapTotalBytes)} | ${mb(row.reading.externalBytes)} | ` +
        `${part(row, 'V8 heap pages')} | ${part(row, 'malloc (brk heap)')} | ${part(row, 'malloc (thread arenas)')} | ${part(row, 'other anonymous (WebAssembly, code, large objects)')} |`,
    ),
    '',
    `- RSS after warm-up: ${mb(start.rssBytes)} MB (target ≤ 250): ${start.rssBytes <= 250 * 2 ** 20 ? 'met' : 'not met'}`,
    `- RSS under load after warm-up, highest sample: ${mb(underLoadMax)} MB (target ≤ 250): ${underLoadMax <= 250 * 2 ** 20 ? 'met' : 'not met'}`,
    `- heap used after GC: ${mb(start.heapUsedBytes)} → ${mb(end.heapUsedBytes)} MB, ×${(end.heapUsedBytes / start.heapUsedBytes).toFixed(3)} (target < 1.05): ${end.heapUsedBytes < start.heapUsedBytes * 1.05 ? 'met' : 'not met'}`,
    `- RSS: ${mb(start.rssBytes)} → ${mb(end.rssBytes)} MB, ×${(end.rssBytes / start.rssBytes).toFixed(3)} (target < 1.10): ${end.rssBytes < start.rssBytes * 1.1 ? 'met' : 'not met'}`,
    ...(snapshots ? [`- heap snapshots: ${snapshotDir} (npx tsx bench/heap-diff.ts <first> <last>)`] : []),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await gateway.close();
  await sims.close();
  await database?.drop();
}
