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

/** Bytes of RSS per part; empty when /proc is not there (not Linux). */
export function rssByPart(pid: number): Map<RssPart, number> {
  const parts = new Map<RssPart, number>();
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return parts;
  }
  let name = '';
  let start = 0n;
  let sizeKb = 0;
  for (const line of text.split('\n')) {
    const mapping = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      start = BigInt(`0x${mapping[1]}`);
      name = mapping[2] ?? '';
    } else if (line.startsWith('Size:')) sizeKb = Number(line.split(/\s+/)[1]);
    else if (line.startsWith('Rss:')) {
      const part: RssPart =
        name === '[heap]'
          ? 'malloc (brk heap)'
          : name.startsWith('/')
            ? name.endsWith('/node')
              ? 'node binary'
              : 'shared libraries'
            : name !== ''
              ? 'other'
              : sizeKb === 256
                ? 'V8 heap pages'
                : // glibc maps each thread arena at a 64 MiB boundary.
                  start % 0x4000000n === 0n
                  ? 'malloc (thread arenas)'
                  : 'other anonymous (WebAssembly, code, large objects)';
      parts.set(part, (parts.get(part) ?? 0) + Number(line.split(/\s+/)[1]) * 1024);
    }
  }
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
