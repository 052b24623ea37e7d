import { constants, type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';
import { GCProfiler, type GCProfilerResult, type HeapSpaceStatistics } from 'node:v8';

/** Garbage-collection pauses since the process started, by kind: a count and milliseconds each. */
export interface GcTally {
  scavenges: number;
  scavengeMs: number;
  /**
   * Bytes the scavenges copied: what survived in the young generation plus what they promoted
   * to the old one. A scavenge's cost is proportional to these, not to what was allocated.
   */
  scavengeCopiedBytes: number;
  markCompacts: number;
  markCompactMs: number;
  /** Incremental marking steps and weak-callback passes: small, counted apart from the two above. */
  others: number;
  othersMs: number;
}

/**
 * Counts the pauses V8 reports (perf_hooks 'gc' entries, the source prom-client's GC metric uses).
 * Read as a difference of two tallies, it gives GC per request without the CPU profiler, whose
 * own sampling both costs and is noisy on a shared machine. Durations are main-thread pauses in
 * wall time; helper threads' share (`--v8-pool-size=1` ships) is not in them. The bytes copied
 * come from V8's GC profiler (each collection's space sizes before and after), gathered at each
 * reading; it is restarted at once, and nothing runs in between to collect.
 */
export function tallyGc(): () => GcTally {
  const tally: GcTally = {
    scavenges: 0,
    scavengeMs: 0,
    scavengeCopiedBytes: 0,
    markCompacts: 0,
    markCompactMs: 0,
    others: 0,
    othersMs: 0,
  };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        tally.scavenges += 1;
        tally.scavengeMs += entry.duration;
      } else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) {
        tally.markCompacts += 1;
        tally.markCompactMs += entry.duration;
      } else {
        tally.others += 1;
        tally.othersMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  let profiler = new GCProfiler();
  profiler.start();
  return () => {
    tally.scavengeCopiedBytes += scavengesCopied(profiler.stop());
    profiler = new GCProfiler();
    profiler.start();
    return { ...tally };
  };
}

/** Survived in new space plus promoted to old space, summed over the profile's scavenges. */
function scavengesCopied(profile: GCProfilerResult): number {
  let copied = 0;
  for (const { gcType, beforeGC, afterGC } of profile.statistics) {
    if (gcType !== 'Scavenge') continue;
    copied += used(afterGC, 'new_space') + Math.max(0, used(afterGC, 'old_space') - used(beforeGC, 'old_space'));
  }
  return copied;
}

const used = (sizes: { heapSpaceStatistics: HeapSpaceStatistics[] }, space: string): number =>
  sizes.heapSpaceStatistics.find((s) => s.spaceName === space)?.spaceUsedSize ?? 0;
