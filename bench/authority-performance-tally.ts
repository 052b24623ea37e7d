/**
 * `npx tsx bench/authority-performance-tally.ts <database-url> [from] [to]`: the county's
 * `authorityPerformance` report from an already synced loop index (e.g. a bench:loop database
 * kept), counted by the database and tallied record by record in this process, interleaved
 * A/B/A/B, 20 reports each: wall time and this process's CPU per report. Nothing asserts on time.
 */
import { openStore } from '../src/platform/store/open-store.ts';
import { printStoreWait } from './harness/print-store-wait.ts';
import { loadWorkingDayCalendar } from '../src/platform/holiday-calendar-file.ts';
import { AuthorityPerformanceService } from '../src/modules/assessment/authority-performance.ts';
import { LoopPerformanceStore } from '../src/modules/assessment/loop-performance-store.ts';

const [databaseUrl, from = '2025-11-02', to = '2026-11-01'] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: authority-performance-tally.ts <database-url> [from] [to]');
const store = await openStore({ databaseUrl, onStartWait: printStoreWait });
const calendar = loadWorkingDayCalendar();
const REPORTS = 20;
for (const tallyRecordsHere of [false, true, false, true]) {
  const service = new AuthorityPerformanceService(new LoopPerformanceStore(store.prisma), calendar, async () => [], {
    tallyRecordsHere,
  });
  await service.report({ from, to }, null); // warm-up
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < REPORTS; i++) await service.report({ from, to }, null);
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${tallyRecordsHere ? 'record tally' : 'SQL counts  '}: ${((performance.now() - started) / REPORTS).toFixed(1)} ms wall, ` +
      `${((used.user + used.system) / 1000 / REPORTS).toFixed(1)} ms CPU per report\n`,
  );
}
await store.close();
