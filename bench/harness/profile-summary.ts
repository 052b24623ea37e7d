/**
 * Where a CPU profile's time went: self time summed per function and per package (a
 * node_modules package, a folder of this repository, or Node's internals), so a profile of a
 * hot path reads as a short table instead of a flame graph.
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  ms: number;
  share: number;
}

const ROOT = new URL('../../', import.meta.url).href;

/** `@apollo/server`, `graphql`, `src/permissions`, `node:internal`, `(garbage collector)`, … */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native: C++ builtins, syscalls)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules) return inModules[1]!;
  if (url.startsWith('node:')) return url.startsWith('node:internal') ? 'node:internal' : url;
  if (url.startsWith('wasm://')) return "WebAssembly (PGlite's Postgres, Prisma's query compiler)";
  const inRepo = /^(src|bench|simulators)\/(?:([^/]+)\/)?/.exec(url.startsWith(ROOT) ? url.slice(ROOT.length) : url);
  if (inRepo) return inRepo[2] && !inRepo[2].includes('.') ? `${inRepo[1]}/${inRepo[2]}` : inRepo[1]!;
  return url;
}

export function summarise(
  profile: CpuProfile,
  top: number,
): { total: number; byFunction: Share[]; byPackage: Share[] } {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') continue;
    total += us;
    const where = url
      ? `${(url.startsWith(ROOT) ? url.slice(ROOT.length) : url).replace(/^.*\/node_modules\//, '')}:${lineNumber + 1}`
      : '';
    const fn = `${functionName || '(anonymous)'} ${where}`.trim();
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const ranked = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }));
  return { total: total / 1000, byFunction: ranked(byFunction), byPackage: ranked(byPackage) };
}
