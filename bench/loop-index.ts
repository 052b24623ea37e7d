/**
 * `npm run bench:loop [-- --scale 10 --rounds 60]`: the loop index at scale.
 *
 * 1. Sync: the four simulated agencies (scale 10 by default: 50,000 enterprises, ~285,000 loop
 *    records) run in a child process; this process is the gateway and reads every change feed
 *    into an empty index (PGlite in memory), then polls once more with nothing new.
 * 2. Query: county-wide `loopGaps` over HTTP against the gateway, interleaved round by round with
 *    a baseline measured in the same run (`loopIndexFreshness`, one small store read through the
 *    same HTTP, GraphQL and store path), and a one-township `loopGaps` beside them.
 *
 * Writes bench/RESULTS-loop.md. Nothing here asserts on time.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { createConnectors } from '../src/connectors/index.ts';
import { createMetrics } from '../src/observability/metrics.ts';
import { startGateway } from '../src/gateway.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../src/domain/types.ts';

const { values } = parseArgs({
  options: { scale: { type: 'string', default: '10' }, rounds: { type: 'string', default: '60' }, seed: { type: 'string', default: '42' } },
});
const scale = Number(values.scale);
const rounds = Number(values.rounds);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** Starts the simulators in a child and resolves with their URLs once all four listen. */
function startSimulatorsChild(): Promise<{ urls: Record<AgencySystem, string>; asOf: string; planted: number; stop: () => void }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, ['--import', 'tsx', 'simulators/main.ts', '--scale', String(scale), '--seed', values.seed!, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const urls: Partial<Record<AgencySystem, string>> = {};
    let asOf = '';
    let planted = 0;
    let buffer = '';
    child.once('exit', (code) => reject(new Error(`simulators exited with ${code}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        const world = /as of (\S+): .* (\d+) planted/.exec(line);
        if (world) [asOf, planted] = [world[1]!, Number(world[2])];
        const [system, url] = line.trim().split(/\s+/);
        if (AGENCY_SYSTEMS.includes(system as AgencySystem) && url) urls[system as AgencySystem] = url;
        if (Object.keys(urls).length === AGENCY_SYSTEMS.length) {
          child.removeAllListeners('exit');
          resolve({ urls: urls as Record<AgencySystem, string>, asOf, planted, stop: () => child.kill('SIGTERM') });
        }
      }
    });
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const ms = (value: number) => value.toFixed(1);

const sims = await startSimulatorsChild();
log(`simulators at scale ${scale} up (${sims.planted} planted breaks, as of ${sims.asOf})`);
const gateway = await startGateway(
  loadConfig({
    PORT: '0',
    DATA_DIR: 'memory://',
    AUTH_REQUIRED: 'false',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOOP_INDEX_SYNC_INTERVAL_MS: '0',
    REGISTRY_SYNC_INTERVAL_MS: '3600000',
    UPSTREAM_TIMEOUT_MS: '20000',
    APPROVAL_URL: sims.urls.approval,
    SUPERVISION_URL: sims.urls.supervision,
    ENFORCEMENT_URL: sims.urls.enforcement,
    CREDIT_URL: sims.urls.credit,
  }),
);
try {
  log('gateway up (subject registry synced); reading every feed once without storing …');
  // The agencies render each record on first read and keep it; reading everything once first
  // both measures the agencies alone and leaves the sync below measuring the gateway's own work.
  const upstream = (system: AgencySystem) => ({ baseUrl: sims.urls[system], timeoutMs: 20_000 });
  const connectors = createConnectors(
    { approval: upstream('approval'), supervision: upstream('supervision'), enforcement: upstream('enforcement'), credit: upstream('credit') },
    createMetrics(),
  );
  const readers: Array<(cursor: string | null) => Promise<{ items: unknown[]; nextCursor: string; hasMore: boolean }>> = [
    (c) => connectors.approval.permitChanges(c, 1000),
    (c) => connectors.supervision.inspectionChanges(c, 1000),
    (c) => connectors.enforcement.clueChanges(c, 1000),
    (c) => connectors.enforcement.caseChanges(c, 1000),
    (c) => connectors.enforcement.penaltyChanges(c, 1000),
    (c) => connectors.credit.recordChanges(c, 1000),
  ];
  const readStarted = performance.now();
  let readRecords = 0;
  for (const read of readers) {
    for (let cursor: string | null = null; ; ) {
      const page = await read(cursor);
      readRecords += page.items.length;
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
  }
  const readSeconds = (performance.now() - readStarted) / 1000;
  log(`read ${readRecords} records in ${readSeconds.toFixed(1)} s; syncing the loop index from empty …`);
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const counts = await gateway.loop.sync.syncOnce();
  const syncSeconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const records = Object.values(counts).reduce((a, b) => a + b, 0);
  const pollStarted = performance.now();
  await gateway.loop.sync.syncOnce();
  const pollMs = performance.now() - pollStarted;
  log(`synced ${records} records in ${syncSeconds.toFixed(1)} s; an idle poll took ${ms(pollMs)} ms`);

  const post = async (query: string, variables: Record<string, unknown>) => {
    const t = performance.now();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { errors?: unknown; data?: { loopGaps?: { totalCount: number } } };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return { ms: performance.now() - t, total: body.data?.loopGaps?.totalCount };
  };
  const GAPS = `query G($filter: LoopGapFilter) { loopGaps(filter: $filter, first: 50) {
    totalCount countsByKind { kind count } gaps { kind recordId subjectUscc townshipCode responsibleAuthorityCode dueOn evidence { record id on } }
    pageInfo { endCursor hasNextPage } } }`;
  const variants = {
    baseline: () => post('{ loopIndexFreshness { system syncedAt records } }', {}),
    county: () => post(GAPS, { filter: { asOf: sims.asOf } }),
    township: () => post(GAPS, { filter: { asOf: sims.asOf, townshipCode: '330381002' } }),
  };
  const first = await variants.county();
  if (first.total !== sims.planted) log(`note: loopGaps found ${first.total} breaks, the manifest planted ${sims.planted}`);
  for (let i = 0; i < 5; i++) for (const run of Object.values(variants)) await run(); // warm-up
  const times: Record<keyof typeof variants, number[]> = { baseline: [], county: [], township: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(variants)) times[name as keyof typeof variants].push((await run()).ms);
  }
  const stats = Object.fromEntries(
    Object.entries(times).map(([name, list]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return [name, { p50: percentile(sorted, 50), p99: percentile(sorted, 99) }];
    }),
  ) as Record<keyof typeof variants, { p50: number; p99: number }>;

  const lines = [
    '# Loop index benchmark',
    '',
    `\`npm run bench:loop -- --scale ${scale} --rounds ${rounds}\`, ${new Date().toISOString().slice(0, 10)}; ${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, PGlite in memory. Simulators (seed ${values.seed}) in a child process; ` +
      'the gateway, its store and the load in this one. ' +
      `Load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} (other work on the machine skews absolute times; the ratios are taken within one run).`,
    '',
    '## Index sync from empty',
    '',
    '| feed | records |',
    '|---|---|',
    ...Object.entries(counts).map(([feed, n]) => `| ${feed} | ${n.toLocaleString('en')} |`),
    `| **all** | **${records.toLocaleString('en')}** |`,
    '',
    `- ${syncSeconds.toFixed(1)} s: **${Math.round(records / syncSeconds).toLocaleString('en')} records/s** ` +
      `(gateway process CPU ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s, i.e. ${Math.round((100 * (cpu.user + cpu.system)) / 1e6 / syncSeconds)}% of one core: ` +
      `**${Math.round(records / ((cpu.user + cpu.system) / 1e6)).toLocaleString('en')} records per gateway CPU second**, the figure least moved by other load).`,
    `- For comparison, reading every feed once without storing (first read: the agencies render and cache each record): ${readSeconds.toFixed(1)} s, ` +
      `${Math.round(readRecords / readSeconds).toLocaleString('en')} records/s. The sync above ran after it, against warm agencies.`,
    `- An incremental poll with nothing new (six feeds, one request each): ${ms(pollMs)} ms.`,
    '',
    `## County-wide \`loopGaps\` (${first.total} breaks; ${rounds} interleaved rounds over HTTP)`,
    '',
    `The first \`loopGaps\` after the sync computed the county's breaks in SQL: ${ms(first.ms)} ms. Later ones filter and page ` +
      'that result in memory until a sync stores records again (one small query per request checks).',
    '',
    '| query | p50 ms | p99 ms | p50 vs baseline |',
    '|---|---|---|---|',
    `| baseline: \`loopIndexFreshness\` | ${ms(stats.baseline.p50)} | ${ms(stats.baseline.p99)} | 1.0× |`,
    `| \`loopGaps\` county-wide, first 50, totals per kind | ${ms(stats.county.p50)} | ${ms(stats.county.p99)} | ${(stats.county.p50 / stats.baseline.p50).toFixed(1)}× |`,
    `| \`loopGaps\` one township | ${ms(stats.township.p50)} | ${ms(stats.township.p99)} | ${(stats.township.p50 / stats.baseline.p50).toFixed(1)}× |`,
    '',
  ];
  writeFileSync(new URL('./RESULTS-loop.md', import.meta.url), lines.join('\n'));
  log(lines.join('\n'));
} finally {
  await gateway.close();
  sims.stop();
}
