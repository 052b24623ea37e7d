/**
 * Memory of the shipped gateway's process alone (the simulators run in a process of their own):
 * its size after warm-up, the embedded store's share of it, and whether heap or RSS grows over a
 * long mixed load. Readings follow two full GCs, so growth is what stays reachable, not garbage.
 */
import type { ProbeReading } from './probe.ts';
import { bodyOf, type BenchQuery } from './queries.ts';
import type { Report } from './report.ts';
import { SETTLE_MS, settledReading } from './settled-reading.ts';
import { sampleRss } from './smaps.ts';
import { measureOnce } from './rounds.ts';
import { fmt, mb } from './summary.ts';
import type { Variant } from './variants.ts';

const RSS_LIMIT_MB = 250;

/** Per ten requests: mostly cheap queries, one large list and one lifecycle, as a dashboard's traffic would be. */
export function memoryMix(q: {
  checkUscc: BenchQuery;
  trivial: BenchQuery;
  largeList: BenchQuery;
  lifecycle: BenchQuery;
}): string[] {
  return [
    ...Array<BenchQuery>(4).fill(q.checkUscc),
    ...Array<BenchQuery>(4).fill(q.trivial),
    q.largeList,
    q.lifecycle,
  ].map(bodyOf);
}

export async function memoryPhase(
  report: Report,
  shipped: Variant,
  mix: readonly string[],
  afterWarmUp: ProbeReading,
  options: {
    total: number;
    log: (line: string) => void;
    /** The same gateway on PostgreSQL after the same warm-up: the store in another process, as in production. */
    afterWarmUpOnPostgres?: ProbeReading | undefined;
  },
) {
  const { afterWarmUpOnPostgres } = options;
  const beforeMix = await settledReading(shipped.child);
  // The growth's baseline is read after some of the same load, not after the quieter phases before it:
  // a load commits V8's young generation (up to 2 × --max-semi-space-size), which idle phases may have
  // let shrink, and that would count as growth over the run although nothing was retained.
  const settlingRequests = Math.max(500, Math.round(options.total / 20));
  options.log(`memory: ${settlingRequests} mixed requests before the baseline`);
  await measureOnce(shipped, mix, { shape: 'closed', connections: 16, requests: settlingRequests });
  const before = await settledReading(shipped.child);
  options.log(`memory: ${options.total} mixed requests`);
  // Sampled from outside while the load runs: what the process holds while it serves, between GCs.
  const sampler = sampleRss(Number(shipped.child.ready.pid));
  const { result } = await measureOnce(shipped, mix, { shape: 'closed', connections: 16, requests: options.total });
  const underLoad = sampler.stop();
  const after = await settledReading(shipped.child);
  const row = (label: string, r: ProbeReading) => [
    label,
    mb(r.rssBytes),
    mb(r.rssBytes - r.wasmBytes),
    mb(r.wasmBytes),
    mb(r.externalBytes),
    mb(r.heapUsedBytes),
    mb(r.heapTotalBytes),
  ];
  report.heading('Memory');
  report.paragraph(
    `Shipped gateway process alone (the simulators, the floor and the load generator run in other processes), each reading after two full GCs, RSS read ${SETTLE_MS / 1000} s later (right after them it still counts pages V8 is giving back): ` +
      `after warm-up; after every phase above; after ${settlingRequests} mixed requests (per ten: 4 CheckUscc, 4 Trivial, 1 LargeList, 1 Lifecycle), the baseline of the growth targets; ` +
      `and after ${result.requests} more of them (` +
      `${fmt((result.requests / result.wallMs) * 1000, 0)} req/s, ${result.failures} failed). ` +
      "WebAssembly memory is the size of every WebAssembly memory in the process (PGlite's Postgres heap, Prisma's query compiler): the most of RSS the embedded store " +
      'can account for (only touched pages are resident), so "RSS less WebAssembly" is the least the gateway itself holds. Heap total includes the young generation, ' +
      'capped by `--max-semi-space-size` in `npm start` (see bench/RESULTS-memory.md). ' +
      'Growth is measured from the baseline, not from the reading after the phases above: V8 lets the young generation shrink when a phase is quiet ' +
      '(the attacks send tiny requests on 2 connections) and commits it again under any load, which moved RSS by 50–60 MB with heap used unchanged.',
  );
  report.table(
    ['reading', 'RSS MB', 'RSS less WebAssembly MB', 'WebAssembly MB', 'external MB', 'heap used MB', 'heap total MB'],
    [
      row('after warm-up', afterWarmUp),
      ...(afterWarmUpOnPostgres ? [row('after warm-up, on PostgreSQL (shipped-pg)', afterWarmUpOnPostgres)] : []),
      row('after every phase above', beforeMix),
      row(`after ${settlingRequests} mixed requests (baseline)`, before),
      row(`after ${result.requests} more`, after),
    ],
  );
  report.target(
    `Memory: gateway process ≤ ${RSS_LIMIT_MB} MB RSS after warm-up (embedded store, scale 1)`,
    `${mb(afterWarmUp.rssBytes)} MB, of which WebAssembly (PGlite) ${mb(afterWarmUp.wasmBytes)} MB`,
    afterWarmUp.rssBytes <= RSS_LIMIT_MB * 2 ** 20,
  );
  if (afterWarmUpOnPostgres)
    report.target(
      `Memory: gateway process ≤ ${RSS_LIMIT_MB} MB RSS after warm-up (PostgreSQL store, scale 1)`,
      `${mb(afterWarmUpOnPostgres.rssBytes)} MB`,
      afterWarmUpOnPostgres.rssBytes <= RSS_LIMIT_MB * 2 ** 20,
    );
  // PGlite's Postgres lives in this process; the gateway's own share is what is left without it.
  report.target(
    `Memory: the gateway's own share ≤ ${RSS_LIMIT_MB} MB RSS after warm-up (the same reading less PGlite's WebAssembly)`,
    `${mb(afterWarmUp.rssBytes - afterWarmUp.wasmBytes)} MB`,
    afterWarmUp.rssBytes - afterWarmUp.wasmBytes <= RSS_LIMIT_MB * 2 ** 20,
  );
  report.paragraph(
    `RSS while the ${result.requests} mixed requests ran (sampled every 200 ms from outside the process): ` +
      `mean ${mb(underLoad.meanBytes)} MB, highest ${mb(underLoad.maxBytes)} MB.`,
  );
  const growth = (from: number, to: number) => (to - from) / from;
  const heapGrowth = growth(before.heapUsedBytes, after.heapUsedBytes);
  const rssGrowth = growth(before.rssBytes, after.rssBytes);
  report.target(
    `Memory: heap used after GC grows < 5% over ${result.requests} mixed requests`,
    `${mb(before.heapUsedBytes)} → ${mb(after.heapUsedBytes)} MB (${fmt(heapGrowth * 100)}%)`,
    heapGrowth < 0.05,
  );
  report.target(
    `Memory: RSS grows < 10% over ${result.requests} mixed requests`,
    `${mb(before.rssBytes)} → ${mb(after.rssBytes)} MB (${fmt(rssGrowth * 100)}%)`,
    rssGrowth < 0.1,
  );
}
