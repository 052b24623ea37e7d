/**
 * `npx tsx bench/access-log-append-cost.ts [--appends 1000] [--batch 1] [--store pglite|postgres] [--lock on]`:
 * the CPU this process spends per access-log append, the write every answered and refused
 * request waits for. PGlite (on disk, as the gateway runs it) by default; `--store postgres`
 * uses a scratch database on DATABASE_URL's server. Appends run one after another, as the writer runs them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AccessLog } from '../src/modules/audit/access-log.ts';
import { verifyChain } from '../src/modules/audit/access-log-verify.ts';
import { openStore } from '../src/platform/store/open-store.ts';
import { printStoreWait } from './harness/print-store-wait.ts';
import { createScratchDatabase } from './harness/scratch-database.ts';
import { sampleAccessEntry } from './harness/sample-access-entry.ts';

const { values } = parseArgs({
  options: {
    appends: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '1' },
    store: { type: 'string', default: 'pglite' },
    // On: the append's statement through Prisma even where the store can run it straight (the figure before).
    prisma: { type: 'string', default: 'off' },
    // On: the usual append takes the advisory lock on PGlite too (the figure before).
    lock: { type: 'string', default: 'off' },
  },
});
const appends = Number(values.appends);
const batch = Number(values.batch);

const dataDir = mkdtempSync(join(tmpdir(), 'append-cost-'));
const scratch =
  values.store === 'postgres'
    ? await createScratchDatabase(
        process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
        'append_cost',
      )
    : undefined;
const store = await openStore({
  ...(scratch ? { databaseUrl: scratch.url } : { dataDir }),
  onStartWait: printStoreWait,
});
try {
  const log = new AccessLog(store.prisma, {
    executeStatement: values.prisma === 'on' ? undefined : store.executeStatement,
    // As the gateway runs it: on PGlite the usual append needs no lock (see AccessLog).
    oneConnection: store.kind === 'pglite' && values.lock !== 'on',
  });
  const run = async (count: number) => {
    for (let i = 0; i < count; i += 1)
      await log.appendMany(Array.from({ length: batch }, (_, j) => sampleAccessEntry(i * batch + j)));
  };
  await run(Math.min(200, appends));
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run(appends);
  const used = process.cpuUsage(cpu);
  const ms = (used.user + used.system) / 1000;
  const verified = await verifyChain(store.prisma);
  process.stdout.write(
    `${values.store}${values.prisma === 'on' ? ' through Prisma' : ''}, ${appends} appends of ${batch}: ${(ms / appends).toFixed(3)} ms CPU per append ` +
      `(${(ms / appends / batch).toFixed(3)} per entry), ${((performance.now() - started) / appends).toFixed(3)} ms wall; ` +
      `chain ${JSON.stringify(verified).slice(0, 80)}\n`,
  );
} finally {
  await store.close();
  await scratch?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
