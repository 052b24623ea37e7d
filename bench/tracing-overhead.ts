/**
 * What OpenTelemetry tracing costs on the lifecycle query: the gateway as shipped (tokens, sharing
 * rules, access log, embedded store) with tracing off, and the same with tracing on, exporting
 * every span over OTLP (http/protobuf, the SDK's default) to a receiver in this process that
 * accepts and drops them, as a collector would take them.
 *
 * The simulators and each gateway run in child processes of their own (bench/harness/), the
 * tracing one started as `npm start` starts it (`--import dist/src/platform/tracing.js`). Rounds
 * alternate off/on, so the noise of a shared machine shows as spread rather than as a bias. The
 * figures: requests per second (closed loop, 8 connections) and the gateway's CPU per request,
 * each on over off. Two agency settings: none added (the gateway's own cost shows most) and the
 * benchmark's per-agency latency (`npm run bench`: 10–40 ms), which is how the lifecycle runs in
 * bench/RESULTS.md. The target: on/off ≥ 0.95 with the benchmark's latency. Nothing
 * asserts on time. Writes bench/RESULTS-tracing.md, whose target table `npm run bench` copies into
 * bench/RESULTS.md.
 *
 *   npm run bench:tracing            (BENCH_ROUNDS, default 5; BENCH_REQUESTS per round, default 200)
 */
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { simulatorControl } from '../simulators/control-client.ts';
import { signDemoToken } from '../src/auth/index.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../src/domain/types.ts';
import { COMPILED_TRACING_PRELOAD, compiledGatewayProcess } from './harness/compiled-gateway.ts';
import { closedLoop, type Target } from './harness/load.ts';
import { settled, startChild, type Child } from './harness/processes.ts';
import { bodyOf, lifecycle } from './harness/queries.ts';
import { GATEWAY_NODE_ENV, GATEWAY_NODE_FLAGS } from './harness/variants.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const REQUESTS = Number(process.env['BENCH_REQUESTS'] ?? 200);
const CONNECTIONS = 8;
const PURPOSE = '瑞综执立〔2026〕88号';
const LATENCY: Record<AgencySystem, number> = { approval: 10, supervision: 20, enforcement: 30, credit: 40 };
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The OTLP receiver: counts what it is sent and answers 200, as a collector would. */
const received = { exports: 0, bytes: 0 };
const receiver = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (received.bytes += chunk.length));
  req.on('end', () => {
    received.exports += 1;
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const otlpEndpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

const sims = await startChild('simulators', './simulators-process.ts', {});
const upstreams = sims.ready.urls as Record<AgencySystem, string>;

interface Variant extends Target {
  child: Child;
}

async function startGateway(name: 'off' | 'on'): Promise<Variant> {
  const dataDir = mkdtempSync(join(tmpdir(), `bench-tracing-${name}-`));
  const env: Record<string, string> = {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
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
    ...GATEWAY_NODE_ENV,
    ...(name === 'on'
      ? { OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint }
      : { OTEL_SDK_DISABLED: 'true' }),
  };
  const flags = name === 'on' ? [...GATEWAY_NODE_FLAGS, '--import', COMPILED_TRACING_PRELOAD] : GATEWAY_NODE_FLAGS;
  const child = await startChild(`gateway tracing ${name}`, compiledGatewayProcess(), env, flags);
  const headers = {
    authorization: `Bearer ${await signDemoToken('county-enforcement', { dataDir })}`,
    'x-purpose': encodeURIComponent(PURPOSE),
  };
  return { name, url: String(child.ready.url), headers, child };
}

interface Totals {
  requests: number;
  failures: number;
  wallMs: number;
  cpuMs: number;
  rps: number[];
}

async function round(variant: Variant, totals: Totals): Promise<void> {
  const before = await variant.child.probe('read');
  const result = await closedLoop(variant, bodyOf(lifecycle), CONNECTIONS, { requests: REQUESTS });
  const after = await variant.child.probe('read');
  if (result.failures > 0)
    log(`${variant.name}: ${result.failures} failed, e.g. ${result.firstFailure?.slice(0, 200)}`);
  totals.failures += result.failures;
  totals.requests += result.requests;
  totals.wallMs += result.wallMs;
  totals.cpuMs += after.cpuMs - before.cpuMs;
  totals.rps.push((result.requests / result.wallMs) * 1000);
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const lines: string[] = [];
/** The target's reading: on/off req/s with the benchmark's agency latency, as the lifecycle runs in RESULTS.md. */
let targetReading:
  { ratio: number; rpsOff: number; rpsOn: number; cpuOff: number; cpuOn: number; failures: number } | undefined;
const startedAt = new Date();
const off = await startGateway('off');
const on = await startGateway('on');
try {
  for (const variant of [off, on]) await settled(variant.child);
  const loadAtStart = loadavg()[0]!;
  for (const setting of ['no added agency latency', 'agency latency 10–40 ms (as npm run bench)'] as const) {
    const latency = setting.startsWith('no') ? 0 : undefined;
    await Promise.all(
      AGENCY_SYSTEMS.map((s) => simulatorControl(upstreams[s]).setFaults({ latencyMs: latency ?? LATENCY[s] })),
    );
    for (const variant of [off, on]) await closedLoop(variant, bodyOf(lifecycle), CONNECTIONS, { requests: 60 });
    const totals = {
      off: { requests: 0, failures: 0, wallMs: 0, cpuMs: 0, rps: [] as number[] },
      on: { requests: 0, failures: 0, wallMs: 0, cpuMs: 0, rps: [] as number[] },
    };
    for (let r = 0; r < ROUNDS; r += 1) {
      // Alternate which goes first, so neither always follows the other's after-effects.
      const order = r % 2 === 0 ? [off, on] : [on, off];
      for (const variant of order) await round(variant, totals[variant.name as 'off' | 'on']);
      log(`${setting}: round ${r + 1}/${ROUNDS} done`);
    }
    const rpsOff = median(totals.off.rps);
    const rpsOn = median(totals.on.rps);
    const cpuOff = totals.off.cpuMs / totals.off.requests;
    const cpuOn = totals.on.cpuMs / totals.on.requests;
    if (latency === undefined)
      targetReading = {
        ratio: rpsOn / rpsOff,
        rpsOff,
        rpsOn,
        cpuOff,
        cpuOn,
        failures: totals.off.failures + totals.on.failures,
      };
    lines.push(
      `| ${setting} | ${rpsOff.toFixed(1)} | ${rpsOn.toFixed(1)} | **${(rpsOn / rpsOff).toFixed(3)}** | ${cpuOff.toFixed(2)} | ${cpuOn.toFixed(2)} | ${(cpuOn / cpuOff).toFixed(3)} | ${totals.on.rps.map((v) => (v / rpsOff).toFixed(2)).join(' ')} | ${totals.off.failures} / ${totals.on.failures} |`,
    );
  }
  const table = [
    `Lifecycle query (20 enterprises through every link), gateway as shipped, ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${REQUESTS} requests per variant; load average at start ${loadAtStart.toFixed(1)}.`,
    '',
    '| agencies | req/s off (median) | req/s on (median) | on/off req/s | CPU ms/request off | on | on/off CPU | each round on / median off | failed off / on |',
    '|---|---|---|---|---|---|---|---|---|',
    ...lines,
    '',
    `The receiver got ${received.exports} OTLP exports, ${(received.bytes / 1024).toFixed(0)} KiB in all.`,
  ];
  process.stdout.write(`${table.join('\n')}\n`);
  writeFileSync(new URL('RESULTS-tracing.md', import.meta.url), resultsFile(table, targetReading!));
} finally {
  await on.child.close();
  await off.child.close();
  await sims.close();
  receiver.close();
}

/** bench/RESULTS-tracing.md: where and when, the target met or not, and the figures. */
function resultsFile(table: readonly string[], reading: NonNullable<typeof targetReading>): string {
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const met = reading.ratio >= 0.95 && reading.failures === 0;
  // "Its cost" read as the CPU a request takes, not only the throughput the agencies' latency leaves.
  const cpuRatio = reading.cpuOn / reading.cpuOff;
  const failed = reading.failures ? `, ${reading.failures} failed` : '';
  return `# OpenTelemetry tracing's cost on the lifecycle

Produced by \`npm run bench:tracing\` (bench/tracing-overhead.ts); a re-run replaces this file. How the
cost was brought down, and where it goes, is in [notes/tracing.md](notes/tracing.md).

- Date: ${startedAt.toISOString()}
- Commit: ${commit}
- Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}

## Targets

| target | measured | met |
|---|---|---|
| Tracing on (every span exported over OTLP) costs ≤ 5% of the lifecycle's req/s, agency latency as \`npm run bench\` (on/off ≥ 0.95) | ${reading.ratio.toFixed(3)}× (${reading.rpsOn.toFixed(1)} vs ${reading.rpsOff.toFixed(1)} req/s)${failed} | ${met ? 'met' : '**not met**'} |
| Tracing on costs ≤ 5% more of the gateway's CPU per lifecycle request, agency latency as \`npm run bench\` (on/off ≤ 1.05) | ${cpuRatio.toFixed(3)}× (${reading.cpuOn.toFixed(2)} vs ${reading.cpuOff.toFixed(2)} ms) | ${cpuRatio <= 1.05 ? 'met' : '**not met**'} |

## Figures

${table.join('\n')}
`;
}
