/**
 * Where a CPU profile's time, or an allocation profile's bytes, went: self time (or bytes) summed
 * per function and per package (a node_modules package, a folder of this repository, or Node's
 * internals), so a profile of a hot path reads as a short table instead of a flame graph.
 */
interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A sampling heap profile (HeapProfiler.stopSampling): a tree of call frames, each with the bytes allocated there. */
interface AllocationNode {
  callFrame: CallFrame;
  /** Estimated bytes allocated by this frame itself (V8 scales the samples up to the whole). */
  selfSize: number;
  children: AllocationNode[];
}

export interface AllocationProfile {
  head: AllocationNode;
}

export interface Share {
  name: string;
  /** Milliseconds for a CPU profile, bytes for an allocation profile. */
  amount: number;
  share: number;
}

const ROOT = new URL('../../', import.meta.url).href;

/** `@apollo/server`, `graphql`, `src/permissions`, `node:internal`, `(garbage collector)`, … */
export function packageOf(url: string, functionName: string): string {
  // Code made by `new Function` (graphql-jit's compiled queries, the compiled mappers) has no URL either.
  if (!url) return functionName.startsWith('(') ? functionName : '(no script: C++ builtins, syscalls, generated code)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  if (url.startsWith('wasm://')) return "WebAssembly (PGlite's Postgres, Prisma's query compiler)";
  // The gateway's children run the build (dist/src/…), the simulators and harness their sources.
  const inRepo = /^(?:dist\/)?(src|bench|simulators)\/(?:([^/]+)\/)?/.exec(
    url.startsWith(ROOT) ? url.slice(ROOT.length) : url,
  );
  if (inRepo) return inRepo[2] && !inRepo[2].includes('.') ? `${inRepo[1]}/${inRepo[2]}` : inRepo[1]!;
  return url;
}

export function summarise(
  profile: CpuProfile,
  top: number,
): { total: number; byFunction: Share[]; byPackage: Share[] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const longest = longestSampleUs(profile.timeDeltas);
  profile.samples.forEach((id, i) =>
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.min(profile.timeDeltas[i] ?? 0, longest)),
  );
  const { total, byFunction, byPackage } = ranked(
    [...selfUs].map(([id, us]) => [nodes.get(id)!.callFrame, us / 1000] as const),
    top,
  );
  return { total, byFunction, byPackage };
}

/**
 * The most one sample may count for: twice the median interval. A sample's interval is wall time
 * since the one before, so on a loaded machine a single sample can carry hundreds of milliseconds
 * spent waiting for a core (and the first, the profiler's own start), which would rank whatever
 * it caught far above what it cost (bench/notes/openfixed.md).
 */
export function longestSampleUs(timeDeltas: readonly number[]): number {
  if (timeDeltas.length === 0) return 0;
  const sorted = [...timeDeltas].sort((a, b) => a - b);
  return 2 * sorted[Math.floor(sorted.length / 2)]!;
}

/** Bytes allocated per function and per package, as `summarise` gives time. */
export function summariseAllocation(
  profile: AllocationProfile,
  top: number,
): { total: number; byFunction: Share[]; byPackage: Share[] } {
  const selves: Array<readonly [CallFrame, number]> = [];
  const visit = (node: AllocationNode): void => {
    if (node.selfSize > 0) selves.push([node.callFrame, node.selfSize]);
    node.children.forEach(visit);
  };
  visit(profile.head);
  return ranked(selves, top);
}

function ranked(
  selves: ReadonlyArray<readonly [CallFrame, number]>,
  top: number,
): { total: number; byFunction: Share[]; byPackage: Share[] } {
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const [{ functionName, url, lineNumber }, amount] of selves) {
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += amount;
    const where = url
      ? `${(url.startsWith(ROOT) ? url.slice(ROOT.length) : url).replace(/^.*\/node_modules\//, '')}:${lineNumber + 1}`
      : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + amount);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + amount);
  }
  const rank = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, amount]) => ({ name, amount, share: amount / total }));
  return { total, byFunction: rank(byFunction), byPackage: rank(byPackage) };
}
