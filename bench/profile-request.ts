/**
 * `npx tsx bench/profile-request.ts [--variant shipped|open] [--query check-uscc|trivial|large-list|lifecycle|attack:N[,…]] [--profile on|off|alloc|survivors] [--requests 3000] [--database-url postgresql://…] [--flags "--heap-growing-percent=20"] [--env '{"MALLOC_MMAP_THRESHOLD_":""}']`:
 * where one gateway spends its CPU per request. Starts the simulators and one gateway variant as
 * `npm run bench` does, warms it, then profiles only the load (not start-up, which `--cpu-prof`
 * would include) and prints self time per package and per function. The .cpuprofile is kept
 * for Chrome DevTools or speedscope. With `--database-url` the gateway's store is a scratch
 * database on that PostgreSQL server (created empty, dropped at the end) instead of PGlite.
 * Either way it prints the GC pauses per request (scavenges and mark-compacts, from perf_hooks)
 * and the bytes the scavenges copied: the collector's cost without the profiler's own, which
 * total CPU is too noisy to show. `--profile alloc` samples allocations instead of CPU (every
 * 1 KB, objects already collected included) and prints the bytes allocated per request, by
 * package and by function; the .heapprofile is kept. `--profile survivors` samples only what
 * outlived the young generation (what scavenges copy and promote): where the load's long-lived
 * allocations come from.
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { AgencySystem } from '../src/domain/types.ts';
import { closedLoop } from './harness/load.ts';
import { settled, startChild } from './harness/processes.ts';
import { type AllocationProfile, type CpuProfile, summarise, summariseAllocation } from './harness/profile-summary.ts';
import { attacks, bodyOf, checkUscc, largeList, lifecycle, trivial } from './harness/queries.ts';
import { createScratchDatabase } from './harness/scratch-database.ts';
import { GATEWAY_NODE_FLAGS, gatewayNodeEnv, startVariants, type VariantName } from './harness/variants.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'shipped' },
    query: { type: 'string', default: 'check-uscc' },
    requests: { type: 'string', default: '3000' },
    connections: { type: 'string', default: '16' },
    top: { type: 'string', default: '25' },
    // Off: only the CPU per request, without the profiler's own sampling cost (the figure to compare levers by).
    // alloc: the allocation sampler instead of the CPU profiler (bytes allocated per request, where).
    // survivors: the same sampler keeping only what no scavenge freed (promoted, or alive at the end).
    profile: { type: 'string', default: 'on' },
    // Seconds without load before each query, to measure the process's CPU when idle.
    idle: { type: 'string', default: '5' },
    // A PostgreSQL server for the store (production's); PGlite in the gateway's process without it.
    'database-url': { type: 'string' },
    // Node flags for the gateway after the shipped ones (later ones win), to weigh a flag's CPU cost.
    flags: { type: 'string', default: '' },
    // Environment for the gateway over the shipped one, as JSON; an empty value unsets that variable.
    env: { type: 'string', default: '{}' },
  },
});
const log = (line: string) => process.stdout.write(`${line}\n`);
const requests = Number(values.requests);

const sims = await startChild('simulators', './simulators-process.ts', {});
const database = values['database-url'] ? await createScratchDatabase(values['database-url'], 'bench_profile') : null;
// The gateway's child process inherits this environment.
if (database) process.env['DATABASE_URL'] = database.url;
const [variant] = await startVariants(
  sims.ready.urls as Record<AgencySystem, string>,
  [values.variant as VariantName],
  [...GATEWAY_NODE_FLAGS, ...values.flags.split(' ').filter(Boolean)],
  gatewayNodeEnv(JSON.parse(values.env) as Record<string, string>),
);
try {
  await settled(variant!.child);
  // A subject that exists, so the trivial query finds it.
  const listed = (await (
    await fetch(`${(sims.ready.urls as Record<AgencySystem, string>).approval}/api/enterprises?page=1&pageSize=1`)
  ).json()) as {
    data: { items: Array<{ uscc: string }> };
  };
  const uscc = listed.data.items[0]!.uscc;
  // Several queries, comma-separated, are measured one after another on the same processes.
  for (const name of values.query.split(',')) {
    // `attack:N` is the Nth of the bench's attacks (bench/harness/queries.ts), every one refused.
    const attack = name.startsWith('attack:') ? attacks(uscc)[Number(name.slice(7))] : undefined;
    if (name.startsWith('attack:') && !attack) throw new Error(`no such attack: ${name}`);
    const query = attack
      ? { name: attack.name }
      : name === 'trivial'
        ? trivial(uscc)
        : name === 'large-list'
          ? largeList
          : name === 'lifecycle'
            ? lifecycle
            : checkUscc(uscc);
    const body = attack ? attack.body : bodyOf(query as ReturnType<typeof trivial>);
    await closedLoop(variant!, body, 4, { requests: Math.min(1000, requests) });
    const profiling = profilingOf(values.profile);
    const extension = profiling === 'cpu' ? 'cpuprofile' : 'heapprofile';
    const path = join(tmpdir(), `bench-${values.variant}-${name.replace(':', '')}-${Date.now()}.${extension}`);
    // The process also works when no request comes (sync workers, pollers): its CPU per second of
    // idleness, measured first, is what a slow run on a busy machine would add to each request.
    const idleStart = await variant!.child.probe('read');
    const idleStartedAt = performance.now();
    await new Promise((resolve) => setTimeout(resolve, Number(values.idle) * 1000));
    const idleEnd = await variant!.child.probe('read');
    const idleCpuPerSecond = ((idleEnd.cpuMs - idleStart.cpuMs) / (performance.now() - idleStartedAt)) * 1000;
    const before = await variant!.child.probe('read');
    if (profiling) await variant!.child.probe(`${profiling === 'cpu' ? 'profile' : profiling}-start`);
    const result = await closedLoop(variant!, body, Number(values.connections), { requests });
    // Read before the profile is stopped: writing the profile out is not the requests' CPU.
    const after = await variant!.child.probe('read');
    if (profiling) await variant!.child.stopProfile(path);
    const cpuPerRequest = (after.cpuMs - before.cpuMs) / result.requests;
    // A failed request makes the figure meaningless; say what the first one was.
    if (result.firstFailure) log(`first failure: ${result.firstFailure}`);
    log(
      `${values.variant}, ${query.name}: ${result.requests} requests (${result.failures} failed), ${((result.requests / result.wallMs) * 1000).toFixed(0)} req/s; ` +
        `process CPU ${cpuPerRequest.toFixed(3)} ms/request (system ${((after.systemCpuMs - before.systemCpuMs) / result.requests).toFixed(3)})${profiling ? ` (${profiling} profiler on)` : ''}; ` +
        `idle ${idleCpuPerSecond.toFixed(1)} ms/s, so ${(cpuPerRequest - idleCpuPerSecond / (result.requests / result.wallMs) / 1000).toFixed(3)} ms/request beyond idle`,
    );
    const gcRow = (label: string, count: number, ms: number) =>
      `${label} ${(count / result.requests).toFixed(3)}/request, ${(ms / result.requests).toFixed(3)} ms/request`;
    const scavenges = after.gc.scavenges - before.gc.scavenges;
    const copiedKb = (after.gc.scavengeCopiedBytes - before.gc.scavengeCopiedBytes) / 1024;
    log(
      `GC pauses: ${gcRow('scavenges', scavenges, after.gc.scavengeMs - before.gc.scavengeMs)}, ` +
        `copying ${(copiedKb / Math.max(1, scavenges)).toFixed(0)} KB each (${(copiedKb / result.requests).toFixed(1)} KB/request); ` +
        `${gcRow('mark-compacts', after.gc.markCompacts - before.gc.markCompacts, after.gc.markCompactMs - before.gc.markCompactMs)}; ` +
        `${gcRow('other', after.gc.others - before.gc.others, after.gc.othersMs - before.gc.othersMs)}`,
    );
    if (profiling === 'allocation' || profiling === 'survivors') {
      const { total, byFunction, byPackage } = summariseAllocation(
        JSON.parse(readFileSync(path, 'utf8')) as AllocationProfile,
        Number(values.top),
      );
      const row = (s: { amount: number; share: number; name: string }) =>
        `  ${(s.amount / 1024 / result.requests).toFixed(1).padStart(7)}  ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.name}`;
      log(
        `${profiling === 'allocation' ? 'allocated' : 'outlived the young generation'} ${(total / 1024 / result.requests).toFixed(0)} KB/request (sampled)\nprofile: ${path}\n\nby package (KB per request, share):`,
      );
      for (const p of byPackage) log(row(p));
      log('\nby function:');
      for (const f of byFunction) log(row(f));
    } else if (profiling) {
      const { total, byFunction, byPackage } = summarise(
        JSON.parse(readFileSync(path, 'utf8')) as CpuProfile,
        Number(values.top),
      );
      // The profiler's sample intervals are wall time: on a busy machine they include time the
      // process waited for a core. Shares are what the profile tells; they are spread over the
      // process's measured CPU per request for the milliseconds.
      const row = (s: { share: number; name: string }) =>
        `  ${(s.share * cpuPerRequest).toFixed(3).padStart(7)}  ${(s.share * 100).toFixed(1).padStart(5)}%  ${s.name}`;
      log(
        `profiled samples add up to ${(total / result.requests).toFixed(3)} ms/request (each sample counted at most twice the usual interval)\nprofile: ${path}\n\nself time by package (≈ CPU ms per request, share):`,
      );
      for (const p of byPackage) log(row(p));
      log('\nself time by function:');
      for (const f of byFunction) log(row(f));
    }
  }
} finally {
  await variant!.child.close();
  await sims.close();
  await database?.drop();
}

function profilingOf(option: string): 'cpu' | 'allocation' | 'survivors' | null {
  const kinds = { on: 'cpu', off: null, alloc: 'allocation', survivors: 'survivors' } as const;
  if (!(option in kinds)) throw new Error(`--profile ${option}: expected on, off, alloc or survivors`);
  return kinds[option as keyof typeof kinds];
}
