/**
 * A memory reading after two full GCs, with RSS read a moment later. Right after a forced full GC
 * RSS still counts the pages the GC has just given up: V8 unmaps them from a background task, and
 * the GC itself maps fresh pages to evacuate into. Read at once, RSS after GC swung by 120–150 MB
 * between identical readings (185 vs 335–360 MB on PostgreSQL) while heap total stayed at 75 MB;
 * two seconds later it lands within a few MB every time (bench/RESULTS-memory.md).
 */
import type { ProbeReading } from './probe.ts';
import type { Child } from './processes.ts';

/** How long after the GCs RSS is read, with no request in between. */
export const SETTLE_MS = 2000;

export interface SettledReading extends ProbeReading {
  /** RSS read right after the GCs, as the bench did before: kept to show the swing. */
  rssRightAfterGcBytes: number;
}

export async function settledReading(child: Child): Promise<SettledReading> {
  const afterGc = await child.probe('gc-then-read');
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const later = await child.probe('read');
  return { ...afterGc, rssBytes: later.rssBytes, rssRightAfterGcBytes: afterGc.rssBytes };
}
