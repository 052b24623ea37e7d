/**
 * `npx tsx bench/attack-rounds.ts [--attacks 3,4,0] [--wait-seconds 70] [--load-seconds 0] [--others floor,open]
 * [--database-url postgresql://…] [--flags "--heap-growing-percent=100"]`: the attack refusals as
 * `npm run bench` measures them (200 unmeasured, then 5 rounds of 200 at 2 connections), with each
 * round's CPU, the kernel's share of it, and the collections in the gateway's process (full ones:
 * `mc count/pause ms`; scavenges `sc`; other kinds). Measured first after `--wait-seconds` past a
 * settled start (past 60 s the registry's and loop index's first periodic syncs have run, as they
 * have long before the full run's attack phase), then again after `--load-seconds` of the bench's
 * other queries. `--others` starts more variants beside it, idle, as the full run has them.
 * Written to find why the full run read the token attacks two to three times dearer than
 * `bench/profile-request.ts` did (bench/notes/heap-growing.md). Nothing here asserts on time.
 */
import { parseArgs } from 'node:util';
import type { AgencySystem } from '../src/domain/types.ts';
import { closedLoop } from './harness/load.ts';
import { settled, startChild } from './harness/processes.ts';
import { attacks, bodyOf, checkUscc, largeList, lifecycle } from './harness/queries.ts';
import { createScratchDatabase } from './harness/scratch-database.ts';
import { GATEWAY_NODE_FLAGS, gatewayNodeEnv, startVariants, type VariantName } from './harness/variants.ts';

const { values } = parseArgs({
  options: {
    variant: { type: 'string', default: 'shipped' },
    attacks: { type: 'string', default: '3,4,0' },
    'wait-seconds': { type: 'string', default: '70' },
    'load-seconds': { type: 'string', default: '0' },
    others: { type: 'string', default: '' },
    'database-url': { type: 'string' },
    // Node flags after the shipped ones (later ones win).
    flags: { type: 'string', default: '' },
  },
});
const ROUNDS = 5;
const ROUND_REQUESTS = 200;
const log = (line: string) => process.stdout.write(`${line}\n`);
const sims = await startChild('simulators', './simulators-process.ts', {});
const database = values['database-url'] ? await createScratchDatabase(values['database-url'], 'bench_attack') : null;
// The gateway's child process inherits this environment.
if (database) process.env['DATABASE_URL'] = database.url;
const all = await startVariants(
  sims.ready.urls as Record<AgencySystem, string>,
  [values.variant as VariantName, ...(values.others.split(',').filter(Boolean) as VariantName[])],
  [...GATEWAY_NODE_FLAGS, ...values.flags.split(' ').filter(Boolean)],
  gatewayNodeEnv(),
);
const variant = all[0]!;
try {
  await settled(variant.child);
  const listed = (await (
    await fetch(`${(sims.ready.urls as Record<AgencySystem, string>).approval}/api/enterprises?page=1&pageSize=1`)
  ).json()) as { data: { items: Array<{ uscc: string }> } };
  const uscc = listed.data.items[0]!.uscc;
  const chosen = values.attacks.split(',').map((i) => {
    const attack = attacks(uscc)[Number(i)];
    if (!attack) throw new Error(`no such attack: ${i}`);
    return attack;
  });

  const rounds = async (when: string) => {
    for (const attack of chosen) {
      await closedLoop(variant, attack.body, 2, { requests: ROUND_REQUESTS });
      log(`${when}, ${attack.name}: CPU ms/request (system; full GCs count/pause; scavenges; other GCs)`);
      for (let round = 0; round < ROUNDS; round += 1) {
        const before = await variant.child.probe('read');
        const { requests } = await closedLoop(variant, attack.body, 2, { requests: ROUND_REQUESTS });
        const after = await variant.child.probe('read');
        const gc = (count: number, ms: number) => `${count}/${ms.toFixed(0)} ms`;
        log(
          `  ${((after.cpuMs - before.cpuMs) / requests).toFixed(3)} (system ${((after.systemCpuMs - before.systemCpuMs) / requests).toFixed(3)}; ` +
            `mc ${gc(after.gc.markCompacts - before.gc.markCompacts, after.gc.markCompactMs - before.gc.markCompactMs)}; ` +
            `sc ${gc(after.gc.scavenges - before.gc.scavenges, after.gc.scavengeMs - before.gc.scavengeMs)}; ` +
            `other ${gc(after.gc.others - before.gc.others, after.gc.othersMs - before.gc.othersMs)})`,
        );
      }
    }
  };
  await new Promise((resolve) => setTimeout(resolve, Number(values['wait-seconds']) * 1000));
  await rounds(`${values['wait-seconds']} s after start`);
  const loadSeconds = Number(values['load-seconds']);
  if (loadSeconds > 0) {
    const until = Date.now() + loadSeconds * 1000;
    let served = 0;
    while (Date.now() < until) {
      served += (await closedLoop(variant, bodyOf(lifecycle), 16, { requests: 400 })).requests;
      served += (await closedLoop(variant, bodyOf(largeList), 8, { requests: 1000 })).requests;
      served += (await closedLoop(variant, bodyOf(checkUscc(uscc)), 16, { requests: 4000 })).requests;
    }
    const reading = await variant.child.probe('read');
    log(`${served} requests of the bench's mix; heap used ${(reading.heapUsedBytes / 2 ** 20).toFixed(0)} MB`);
    await rounds(`after ${loadSeconds} s of load`);
  }
} finally {
  for (const started of all) await started.child.close();
  await sims.close();
  await database?.drop();
}
