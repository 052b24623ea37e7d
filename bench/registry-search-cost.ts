/**
 * `npx tsx bench/registry-search-cost.ts [--searches 2000] [--rounds 3]`: CPU of one kept
 * registry search (the large list's page of 100) on PGlite, with the version read per search
 * and with it followed from the trigger's notifications, alternating in one process.
 */
import { parseArgs } from 'node:util';
import { SubjectRegistry } from '../src/modules/registry/subject-registry.ts';
import { openStore } from '../src/platform/store/open-store.ts';
import { printStoreWait } from './harness/print-store-wait.ts';
import { approvalEntry } from '../test/store/registry-entries.ts';

const { values } = parseArgs({
  options: { searches: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '3' } },
});
const searches = Number(values.searches);
const store = await openStore({ dataDir: 'memory://', onStartWait: printStoreWait });
try {
  const reading = new SubjectRegistry(store.prisma);
  await reading.upsertMany(Array.from({ length: 150 }, (_, i) => approvalEntry(i + 1)));
  const following = new SubjectRegistry(store.prisma);
  const stop = await following.followVersion(store.listenInProcess!);
  const cpuPerSearch = async (registry: SubjectRegistry) => {
    for (let i = 0; i < 200; i += 1) await registry.search({}, { first: 100 }, { count: false });
    const start = process.cpuUsage();
    for (let i = 0; i < searches; i += 1) await registry.search({}, { first: 100 }, { count: false });
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000 / searches;
  };
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    const read = await cpuPerSearch(reading);
    const followed = await cpuPerSearch(following);
    process.stdout.write(
      `round ${round}: version read ${read.toFixed(3)} ms CPU/search, followed ${followed.toFixed(3)}\n`,
    );
  }
  await stop();
} finally {
  await store.close();
}
