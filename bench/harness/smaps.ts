/**
 * A process's RSS split by mapping (Linux /proc/<pid>/smaps), read from outside the process:
 * V8's 256 KiB heap pages, glibc's malloc (the brk heap and the 64 MiB-aligned arenas of other
 * threads), other anonymous memory (WebAssembly, code, large objects), the node binary, shared
 * libraries. `process.memoryUsage()` cannot tell these apart, and which one moves is what says
 * whether a memory lever belongs to V8 (flags) or to malloc (its environment variables).
 */
import { readFileSync } from 'node:fs';

export type RssPart =
  | 'V8 heap pages'
  | 'malloc (brk heap)'
  | 'malloc (thread arenas)'
  | 'other anonymous (WebAssembly, code, large objects)'
  | 'node binary'
  | 'shared libraries'
  | 'other';

interface Mapping {
  start: bigint;
  end: bigint;
  perms: string;
  name: string;
  sizeKb: number;
  rssKb: number;
}

const ARENA = 0x4000000n;

/**
 * glibc reserves each thread arena as 64 MiB at a 64 MiB boundary and makes only its used start
 * readable: an arena is a 64 MiB-aligned anonymous mapping that, with the inaccessible rest right
 * after it, spans exactly 64 MiB. Alignment alone is not enough: a WebAssembly memory (PGlite's
 * Postgres heap) can land on such a boundary too.
 */
function isArena(mappings: Mapping[], i: number): boolean {
  const m = mappings[i]!;
  if (m.start % ARENA !== 0n) return false;
  if (m.end - m.start === ARENA) return true;
  const next = mappings[i + 1];
  return next !== undefined && next.start === m.end && next.perms.startsWith('---') && next.end - m.start === ARENA;
}

/** Bytes of RSS per part; empty when /proc is not there (not Linux). */
export function rssByPart(pid: number): Map<RssPart, number> {
  const parts = new Map<RssPart, number>();
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return parts;
  }
  const mappings: Mapping[] = [];
  for (const line of text.split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      mappings.push({
        start: BigInt(`0x${mapping[1]}`),
        end: BigInt(`0x${mapping[2]}`),
        perms: mapping[3]!,
        name: mapping[4] ?? '',
        sizeKb: 0,
        rssKb: 0,
      });
    } else if (line.startsWith('Size:')) mappings.at(-1)!.sizeKb = Number(line.split(/\s+/)[1]);
    else if (line.startsWith('Rss:')) mappings.at(-1)!.rssKb = Number(line.split(/\s+/)[1]);
  }
  mappings.forEach((m, i) => {
    const part: RssPart =
      m.name === '[heap]'
        ? 'malloc (brk heap)'
        : m.name.startsWith('/')
          ? m.name.endsWith('/node')
            ? 'node binary'
            : 'shared libraries'
          : m.name !== ''
            ? 'other'
            : m.sizeKb === 256
              ? 'V8 heap pages'
              : isArena(mappings, i)
                ? 'malloc (thread arenas)'
                : 'other anonymous (WebAssembly, code, large objects)';
    parts.set(part, (parts.get(part) ?? 0) + m.rssKb * 1024);
  });
  return parts;
}

/** The parts, largest first, one `  part: N MB` line each. */
export function formatParts(parts: Map<RssPart, number>): string[] {
  return [...parts].sort((a, b) => b[1] - a[1]).map(([part, bytes]) => `  ${part}: ${(bytes / 2 ** 20).toFixed(1)} MB`);
}

/** Current RSS from /proc/<pid>/statm (resident pages); 0 when not readable. */
export function rssNow(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
}

/**
 * RSS sampled every `everyMs` while a load runs, from outside the process: what the process holds
 * while it serves, which a reading after forced GCs does not show (those GCs briefly map new pages).
 * `atMax` is the split by mapping at the highest sample, to say which part the peak is in.
 */
export function sampleRss(
  pid: number,
  everyMs = 200,
): { stop(): { meanBytes: number; maxBytes: number; atMax: Map<RssPart, number> } } {
  const samples: number[] = [];
  let atMax = new Map<RssPart, number>();
  const timer = setInterval(() => {
    const parts = rssByPart(pid);
    const rss = [...parts.values()].reduce((a, b) => a + b, 0);
    if (samples.every((sample) => sample < rss)) atMax = parts;
    samples.push(rss);
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      if (samples.length === 0) samples.push(rssNow(pid));
      return { meanBytes: samples.reduce((a, b) => a + b, 0) / samples.length, maxBytes: Math.max(...samples), atMax };
    },
  };
}
