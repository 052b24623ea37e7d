/**
 * What a gateway costs while nobody asks it anything: CPU per second of idle time, per process
 * and per thread, read from Linux /proc (schedstat's nanoseconds on CPU, stat's utime + stime in
 * clock ticks, and voluntary context switches: one per time a sleeping thread is woken).
 *
 *   npx tsx bench/idle-cpu.ts --roots=base:/tmp/idle-base,new:. [--store=pglite|postgres]
 *        [--seconds=60] [--warmup=30] [--rounds=1] [--env='{"WEBHOOK_IDLE_POLL_MAX_MS":"1000"}']
 *        [--variants='[{"name":"no-polls","root":".","env":{"WEBHOOK_POLL_INTERVAL_MS":"3600000"}}]']
 *
 * Each root is a checkout with dist/ built; its gateway runs as `npm start` runs it (Node flags,
 * malloc setting, tracing preload, dist/src/main.js), with the simulators in a process of their
 * own. `--variants` adds gateways with their own environment (over `--env`) and extra Node flags. The gateways of one round run side by side and are measured over the same window, so a
 * busy spell of the shared machine lands on all of them; each round starts them in another order.
 * Sync intervals are the shipped defaults (60 s) unless --env says otherwise.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startChild } from './harness/processes.ts';
import { createScratchDatabase, type ScratchDatabase } from './harness/scratch-database.ts';
import { GATEWAY_NODE_ENV, GATEWAY_NODE_FLAGS } from './harness/variants.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
interface IdleVariant {
  name: string;
  root: string;
  env?: Record<string, string>;
  flags?: string[];
}
const roots: IdleVariant[] = [
  ...arg('roots', '')
    .split(',')
    .filter(Boolean)
    .map((entry) => {
      const [name, path] = entry.split(':') as [string, string];
      return { name, root: resolve(path) };
    }),
  ...(JSON.parse(arg('variants', '[]')) as IdleVariant[]).map((v) => ({ ...v, root: resolve(v.root) })),
];
const store = arg('store', 'pglite');
const seconds = Number(arg('seconds', '60'));
const warmupSeconds = Number(arg('warmup', '30'));
const rounds = Number(arg('rounds', '1'));
const extraEnv = JSON.parse(arg('env', '{}')) as Record<string, string>;
const serverUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

interface ThreadReading {
  name: string;
  cpuNs: number;
  ticks: number;
  wakeups: number;
}

/** Every thread of `pid` now, by thread id. */
function threads(pid: number): Map<string, ThreadReading> {
  const found = new Map<string, ThreadReading>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const base = `/proc/${pid}/task/${tid}`;
      const stat = readFileSync(`${base}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // Fields after the name: state is field 3, utime 14 and stime 15 (1-based).
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(rest[11]) + Number(rest[12]);
      const cpuNs = Number(readFileSync(`${base}/schedstat`, 'utf8').split(' ')[0]);
      const status = readFileSync(`${base}/status`, 'utf8');
      const wakeups = Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
      found.set(tid, { name, cpuNs, ticks, wakeups });
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return found;
}

interface Running {
  name: string;
  child: ChildProcess;
  logLines: number;
  cleanup: () => Promise<void>;
}

async function startGateway(variant: IdleVariant, upstreams: Record<string, string>): Promise<Running> {
  const { name, root } = variant;
  const dataDir = mkdtempSync(join(tmpdir(), `idle-${name}-`));
  const database: ScratchDatabase | null = store === 'postgres' ? await createScratchDatabase(serverUrl, 'idle') : null;
  const child = spawn(
    process.execPath,
    [
      ...GATEWAY_NODE_FLAGS,
      ...(variant.flags ?? []),
      '--import',
      join(root, 'dist/src/platform/tracing.js'),
      join(root, 'dist/src/main.js'),
    ],
    {
      cwd: root,
      env: {
        PATH: process.env['PATH'],
        ...GATEWAY_NODE_ENV,
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        APPROVAL_URL: upstreams['approval'],
        SUPERVISION_URL: upstreams['supervision'],
        ENFORCEMENT_URL: upstreams['enforcement'],
        CREDIT_URL: upstreams['credit'],
        ...(database ? { DATABASE_URL: database.url } : {}),
        ...extraEnv,
        ...variant.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const running: Running = {
    name,
    child,
    logLines: 0,
    cleanup: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  await new Promise<void>((ready, fail) => {
    child.once('exit', (code) => fail(new Error(`${name} exited (${code}) before it was ready:\n${stderr}`)));
    // Read to the end, so a full pipe never holds the gateway up; lines after ready are counted.
    createInterface({ input: child.stdout! }).on('line', (line) => {
      running.logLines += 1;
      if (line.includes('gateway ready')) ready();
    });
  });
  return running;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

const sims = await startChild('simulators', './simulators-process.ts', {});
const upstreams = sims.ready.urls as Record<string, string>;
try {
  for (let round = 0; round < rounds; round += 1) {
    const order = roots.map((_, i) => roots[(i + round) % roots.length]!);
    const gateways: Running[] = [];
    try {
      for (const root of order) gateways.push(await startGateway(root, upstreams));
      await sleep(warmupSeconds * 1000);
      const loadBefore = load();
      const before = gateways.map((g) => ({ threads: threads(g.child.pid!), lines: g.logLines }));
      await sleep(seconds * 1000);
      const after = gateways.map((g) => ({ threads: threads(g.child.pid!), lines: g.logLines }));
      for (const [i, gateway] of gateways.entries()) {
        const rows: Array<ThreadReading & { tid: string }> = [];
        for (const [tid, now] of after[i]!.threads) {
          const then = before[i]!.threads.get(tid) ?? { name: now.name, cpuNs: 0, ticks: 0, wakeups: 0 };
          rows.push({
            tid,
            name: now.name,
            cpuNs: now.cpuNs - then.cpuNs,
            ticks: now.ticks - then.ticks,
            wakeups: now.wakeups - then.wakeups,
          });
        }
        const total = (pick: (row: ThreadReading) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
        const perSecond = (value: number) => (value / seconds).toFixed(2);
        console.log(
          JSON.stringify({
            round: round + 1,
            gateway: gateway.name,
            store,
            seconds,
            load: `${loadBefore} → ${load()}`,
            cpuMsPerS: perSecond(total((row) => row.cpuNs) / 1e6),
            tickMsPerS: perSecond(total((row) => row.ticks) * 10),
            wakeupsPerS: perSecond(total((row) => row.wakeups)),
            logLines: after[i]!.lines - before[i]!.lines,
            threads: rows
              .filter((row) => row.cpuNs > 0 || row.wakeups > 0)
              .sort((a, b) => b.cpuNs - a.cpuNs)
              .map(
                (row) =>
                  `${row.name}#${row.tid}: ${perSecond(row.cpuNs / 1e6)} ms/s, ${perSecond(row.wakeups)} wakeups/s`,
              ),
          }),
        );
      }
    } finally {
      for (const gateway of gateways) await gateway.cleanup();
    }
  }
} finally {
  await sims.close();
}
