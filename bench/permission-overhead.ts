/**
 * What the permission layer costs: the same query mix against a gateway with AUTH_REQUIRED=false
 * and one with AUTH_REQUIRED=true (bearer token, graphql-shield sharing rules, masking,
 * jurisdiction filtering, and the hash-chained access log written to the embedded PGlite store).
 *
 * Both gateways run in this process over one set of simulators at zero added latency, so the
 * gateway's own cost shows. Rounds alternate between the two variants and repeat, so the noise of
 * a shared machine shows as the spread between rounds rather than hiding in one figure. Nothing
 * here asserts on time; the table is printed and written to bench/RESULTS-permissions.md.
 *
 *   npm run bench:permissions
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSimulators } from '../simulators/index.ts';
import { signDemoToken } from '../src/auth/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { bodyOf, largeList, lifecycle } from './harness/queries.ts';
import { startGateway } from '../src/gateway.ts';

const CLIENTS = 4;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);
const WARM_UP_REQUESTS = 40;
/** A purpose (matter number), so conditional fields are allowed and the layer does its full work. */
const PURPOSE = '瑞综执立〔2026〕88号';

interface Workload {
  name: string;
  /** Issue 5's target: the layer may cost at most this share of throughput. */
  maxCost: number;
  /** The JSON request body. */
  body: string;
  requestsPerRound: number;
}

/** The same lifecycle and large-list queries as `npm run bench` (bench/harness/queries.ts). */
const WORKLOADS: readonly Workload[] = [
  { name: 'lifecycle, 20 enterprises', maxCost: 0.15, body: bodyOf(lifecycle), requestsPerRound: 100 },
  {
    name: 'large list, 100 subjects + permits (≈260 records)',
    maxCost: 0.25,
    body: bodyOf(largeList),
    requestsPerRound: 80,
  },
];

interface Variant {
  name: 'off' | 'on';
  url: string;
  headers: Record<string, string>;
}

interface Round {
  requests: number;
  wallMs: number;
  cpuMs: number;
  latencySumMs: number;
}

/** One request; throws if the answer has no data or carries errors, so a broken variant is not timed. */
async function post(variant: Variant, body: string): Promise<string> {
  const response = await fetch(`${variant.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...variant.headers },
    body,
  });
  const text = await response.text();
  if (!response.ok || text.includes('"errors":'))
    throw new Error(`${variant.name}: HTTP ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

/** A closed loop: CLIENTS clients, each sending its next request when its last one is answered. */
async function runRound(variant: Variant, body: string, requests: number): Promise<Round> {
  let next = 0;
  let latencySumMs = 0;
  const client = async () => {
    while (next < requests) {
      next += 1;
      const started = performance.now();
      await post(variant, body);
      latencySumMs += performance.now() - started;
    }
  };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, client));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { requests, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, latencySumMs };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

interface Summary {
  rps: number[];
  meanLatencyMs: number;
  cpuMsPerRequest: number;
}

function summarise(rounds: readonly Round[]): Summary {
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  return {
    rps: rounds.map((r) => (r.requests / r.wallMs) * 1000),
    meanLatencyMs: rounds.reduce((sum, r) => sum + r.latencySumMs, 0) / requests,
    cpuMsPerRequest: rounds.reduce((sum, r) => sum + r.cpuMs, 0) / requests,
  };
}

/** Errors in an answer, by code and path, so a reader can see both variants returned the same work. */
function describeAnswer(text: string): string {
  const body = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
  const codes = new Map<string, number>();
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code ?? 'no code';
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  const errors = codes.size === 0 ? 'no errors' : [...codes].map(([code, n]) => `${n}× ${code}`).join(', ');
  return `${(text.length / 1024).toFixed(0)} KiB, ${errors}`;
}

const loadAtStart = loadavg()[0]!;
/** Hand-written history and findings, kept beside the results so a re-run does not lose them. */
function notes(): string {
  const file = new URL('./RESULTS-permissions.notes.md', import.meta.url);
  return existsSync(file) ? `\n${readFileSync(file, 'utf8')}` : '';
}

const simulators = await startSimulators({ scale: 1, seed: 42 });
// Both gateways keep their store on disk (the demo issuer's keys need a real folder), so the only
// difference between them is the permission layer.
const dataDirs = {
  off: mkdtempSync(join(tmpdir(), 'bench-perm-off-')),
  on: mkdtempSync(join(tmpdir(), 'bench-perm-on-')),
};
const startVariant = (authRequired: boolean, dataDir: string) =>
  startGateway(
    loadConfig({
      PORT: '0',
      DATA_DIR: dataDir,
      AUTH_REQUIRED: String(authRequired),
      LOG_LEVEL: 'silent',
      // The rate limiter stays on in both variants, with a limit the benchmark never reaches.
      RATE_LIMIT_PER_MINUTE: '100000000',
      REGISTRY_SYNC_INTERVAL_MS: '3600000',
      APPROVAL_URL: simulators.urls.approval,
      SUPERVISION_URL: simulators.urls.supervision,
      ENFORCEMENT_URL: simulators.urls.enforcement,
      CREDIT_URL: simulators.urls.credit,
    }),
  );
const gatewayOff = await startVariant(false, dataDirs.off);
const gatewayOn = await startVariant(true, dataDirs.on);
const token = await signDemoToken('county-enforcement', { dataDir: dataDirs.on });
const variants: readonly Variant[] = [
  { name: 'off', url: gatewayOff.url, headers: {} },
  {
    name: 'on',
    url: gatewayOn.url,
    headers: { authorization: `Bearer ${token}`, 'x-purpose': encodeURIComponent(PURPOSE) },
  },
];

try {
  const answers: string[] = [];
  for (const workload of WORKLOADS) {
    for (const variant of variants) {
      answers.push(`- ${workload.name}, layer ${variant.name}: ${describeAnswer(await post(variant, workload.body))}`);
      await runRound(variant, workload.body, WARM_UP_REQUESTS);
    }
  }
  process.stderr.write(`answers (one request each):\n${answers.join('\n')}\n`);

  const rounds = new Map<string, Round[]>();
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const workload of WORKLOADS) {
      // Alternate which variant goes first, so neither always follows the other's garbage.
      const order = round % 2 === 0 ? variants : [...variants].reverse();
      for (const variant of order) {
        const result = await runRound(variant, workload.body, workload.requestsPerRound);
        const key = `${workload.name}|${variant.name}`;
        rounds.set(key, [...(rounds.get(key) ?? []), result]);
        process.stderr.write(
          `round ${round + 1} ${workload.name} ${variant.name}: ${((result.requests / result.wallMs) * 1000).toFixed(1)} req/s\n`,
        );
      }
    }
  }

  const fmt = (n: number, digits = 1) => n.toFixed(digits);
  const rows = [
    '| query | layer | req/s median (min–max) | mean latency ms | CPU ms/req | on/off req/s (medians) | on/off req/s per round pair, median (min–max) | on/off CPU/req |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const workload of WORKLOADS) {
    const off = summarise(rounds.get(`${workload.name}|off`)!);
    const on = summarise(rounds.get(`${workload.name}|on`)!);
    for (const [name, s] of [
      ['off', off],
      ['on', on],
    ] as const) {
      // Each round's on and off ran back to back, so their ratio is less exposed to slow drifts in the machine's load.
      const paired = on.rps.map((rps, i) => rps / off.rps[i]!);
      const ratios =
        name === 'on'
          ? `${fmt(median(on.rps) / median(off.rps), 2)} | ${fmt(median(paired), 2)} (${fmt(Math.min(...paired), 2)}–${fmt(Math.max(...paired), 2)}) | ${fmt(on.cpuMsPerRequest / off.cpuMsPerRequest, 2)}`
          : '– | – | –';
      rows.push(
        `| ${workload.name} | ${name} | ${fmt(median(s.rps))} (${fmt(Math.min(...s.rps))}–${fmt(Math.max(...s.rps))}) | ${fmt(s.meanLatencyMs)} | ${fmt(s.cpuMsPerRequest, 2)} | ${ratios} |`,
      );
    }
  }
  const verdict = (ratio: number, floor: number) =>
    ratio >= floor ? 'met' : `not met, short by ${fmt(floor - ratio, 2)}`;
  const targets = WORKLOADS.map((workload) => {
    const off = summarise(rounds.get(`${workload.name}|off`)!);
    const on = summarise(rounds.get(`${workload.name}|on`)!);
    const ratio = median(on.rps.map((rps, i) => rps / off.rps[i]!));
    // Requests per CPU-second: what throughput becomes once the process is CPU-bound, and far
    // less exposed than wall-clock rates to other work on a shared machine.
    const cpuRatio = off.cpuMsPerRequest / on.cpuMsPerRequest;
    const floor = 1 - workload.maxCost;
    return `- ${workload.name}, target on/off ≥ ${fmt(floor, 2)}: req/s ${fmt(ratio, 2)} (paired median), ${verdict(ratio, floor)}; requests per CPU-second ${fmt(cpuRatio, 2)}, ${verdict(cpuRatio, floor)}`;
  });
  const table = rows.join('\n');
  process.stdout.write(`${table}\n`);

  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}`;
  writeFileSync(
    new URL('./RESULTS-permissions.md', import.meta.url),
    `# Permission layer overhead

Produced by \`npm run bench:permissions\` (bench/permission-overhead.ts).

- Date: ${new Date().toISOString().slice(0, 10)}
- Commit: ${commit}
- Machine: ${machine}

Layer **off**: AUTH_REQUIRED=false. Layer **on**: AUTH_REQUIRED=true, caller \`county-enforcement\`
with a purpose, so conditional fields are allowed and the sharing rules, masking, jurisdiction
filtering and the access log (one entry per operation, written to the embedded PGlite store on
disk) all do their work. Simulators at zero added latency. Closed loop of ${CLIENTS} concurrent
clients; after a warm-up, ${ROUNDS} rounds per variant and query, alternating between the variants.
req/s: median over rounds, with the min–max across rounds; the spread is the machine's noise.

CPU ms/req is process.cpuUsage over a round divided by its requests. Everything (load generator,
simulators, gateway) runs in one process, so it includes the simulators' and the clients' work,
which is the same for both variants; the difference between the rows is the permission layer.

Load average (1 min) at start ${fmt(loadAtStart, 2)}, at end ${fmt(loadavg()[0]!, 2)} on ${cpus().length} cores:
other work on the machine slows both variants and widens the spread.

${table}

Targets (issue 5: the layer costs at most 15% of lifecycle throughput, 25% of large-list throughput):

${targets.join('\n')}

Answers (one request each, to show both variants did the same work):

${answers.join('\n')}
${notes()}`,
  );
} finally {
  await gatewayOn.close();
  await gatewayOff.close();
  await simulators.close();
  for (const dir of Object.values(dataDirs)) rmSync(dir, { recursive: true, force: true });
}
