/**
 * What the gateway process holds at ready, before any request, and where in its address space:
 * the quick way to weigh one memory lever (a Node flag, a malloc setting, a store option) without
 * a long run. The simulators run in their own process; the reading follows two full GCs.
 *
 *   npx tsx bench/memory-at-ready.ts [--store=postgres|pglite] [--flags="--max-semi-space-size=64"]
 *                                    [--env='{"MALLOC_ARENA_MAX":"2"}']
 *
 * RSS is split by mapping (Linux /proc/<pid>/smaps): V8's 256 KiB heap pages, glibc's malloc
 * (the brk heap and the 64 MiB arenas of other threads), other anonymous memory (WebAssembly,
 * code), and the node binary itself. RSS is read 2 s after the GCs (bench/harness/settled-reading.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compiledGatewayProcess } from './harness/compiled-gateway.ts';
import { settled, startChild } from './harness/processes.ts';
import { createScratchDatabase } from './harness/scratch-database.ts';
import { settledReading } from './harness/settled-reading.ts';
import { formatParts, rssByPart } from './harness/smaps.ts';
import { gatewayNodeEnv } from './harness/variants.ts';

const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const store = arg('store', 'postgres');
const flags = arg('flags', '').split(' ').filter(Boolean);
const extraEnv = JSON.parse(arg('env', '{}')) as Record<string, string>;
const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

const sims = await startChild('simulators', './simulators-process.ts', {});
const upstreams = sims.ready.urls as Record<string, string>;
const database =
  store === 'postgres'
    ? await createScratchDatabase(
        process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test',
        'memory_at_ready',
      )
    : null;
const gateway = await startChild(
  'gateway',
  compiledGatewayProcess(),
  {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'bench-memory-at-ready-')),
    ...(database ? { DATABASE_URL: database.url } : {}),
    AUTH_REQUIRED: 'true',
    REGISTRY_SYNC_INTERVAL_MS: '3600000',
    LOOP_INDEX_SYNC_INTERVAL_MS: '3600000',
    APPROVAL_URL: upstreams['approval']!,
    SUPERVISION_URL: upstreams['supervision']!,
    ENFORCEMENT_URL: upstreams['enforcement']!,
    CREDIT_URL: upstreams['credit']!,
    ...gatewayNodeEnv(extraEnv),
  },
  flags,
);
try {
  await settled(gateway);
  const reading = await settledReading(gateway);
  const parts = rssByPart(Number(gateway.ready.pid));
  process.stdout.write(
    [
      `${store}, flags \`${flags.join(' ') || '(none)'}\`, env ${JSON.stringify(gatewayNodeEnv(extraEnv))}: RSS ${mb(reading.rssBytes)} MB, ` +
        `(${mb(reading.rssRightAfterGcBytes)} MB right after the GCs), heap used ${mb(reading.heapUsedBytes)} MB, heap total ${mb(reading.heapTotalBytes)} MB, WebAssembly ${mb(reading.wasmBytes)} MB, external ${mb(reading.externalBytes)} MB`,
      ...formatParts(parts),
    ].join('\n') + '\n',
  );
} finally {
  await gateway.close();
  await sims.close();
  await database?.drop();
}
