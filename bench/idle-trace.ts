/**
 * `npx tsx bench/idle-trace.ts [--seconds 150] [--database-url postgresql://…] [--profile on]`: the
 * shipped gateway's CPU second by second while no request comes, after it has settled as
 * `bench/profile-request.ts` waits for it: what background work (the registry's and the loop
 * index's syncs, pollers) adds to a benchmark window that happens to hold it. With `--profile on`
 * the whole span is CPU-profiled and summarised (idle samples left out).
 */
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AgencySystem } from '../src/domain/types.ts';
import { settled, startChild } from './harness/processes.ts';
import { type CpuProfile, summarise } from './harness/profile-summary.ts';
import { createScratchDatabase } from './harness/scratch-database.ts';
import { GATEWAY_NODE_FLAGS, gatewayNodeEnv, startVariants } from './harness/variants.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '150' },
    'database-url': { type: 'string' },
    profile: { type: 'string', default: 'off' },
  },
});
const log = (line: string) => process.stdout.write(`${line}\n`);
const sims = await startChild('simulators', './simulators-process.ts', {});
const database = values['database-url'] ? await createScratchDatabase(values['database-url'], 'bench_idle') : null;
if (database) process.env['DATABASE_URL'] = database.url;
const [variant] = await startVariants(
  sims.ready.urls as Record<AgencySystem, string>,
  ['shipped'],
  GATEWAY_NODE_FLAGS,
  gatewayNodeEnv(),
);
try {
  await settled(variant!.child);
  const path = join(tmpdir(), `bench-idle-${Date.now()}.cpuprofile`);
  if (values.profile === 'on') await variant!.child.probe('profile-start');
  let last = await variant!.child.probe('read');
  const started = performance.now();
  const perSecond: number[] = [];
  for (let s = 1; s <= Number(values.seconds); s += 1) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const now = await variant!.child.probe('read');
    perSecond.push(now.cpuMs - last.cpuMs);
    last = now;
  }
  const elapsed = (performance.now() - started) / 1000;
  if (values.profile === 'on') await variant!.child.stopProfile(path);
  const total = perSecond.reduce((a, b) => a + b, 0);
  const sorted = [...perSecond].sort((a, b) => a - b);
  log(
    `${database ? 'PostgreSQL' : 'embedded'}: ${(total / elapsed).toFixed(1)} ms CPU/s over ${elapsed.toFixed(0)} s; median second ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms`,
  );
  log(
    `seconds over 50 ms: ${
      perSecond
        .map((ms, i) => (ms > 50 ? `t=${i + 1}s ${ms.toFixed(0)}` : ''))
        .filter(Boolean)
        .join(', ') || 'none'
    }`,
  );
  if (values.profile === 'on') {
    const { byFunction, byPackage } = summarise(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, 25);
    log(`profile: ${path}\nby package (share of busy samples):`);
    for (const p of byPackage) log(`  ${(p.share * 100).toFixed(1).padStart(5)}%  ${p.name}`);
    log('by function:');
    for (const f of byFunction) log(`  ${(f.share * 100).toFixed(1).padStart(5)}%  ${f.name}`);
  }
} finally {
  await variant!.child.close();
  await sims.close();
  await database?.drop();
}
