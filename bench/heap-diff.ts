/**
 * What grew between two V8 heap snapshots (`npm run bench:memory -- --snapshots` writes them):
 * live objects grouped by constructor (or node type for strings, closures, arrays), with the
 * change in count and in bytes, largest growth first.
 *
 *   npx tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [rows, default 25]
 */
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

interface Group {
  count: number;
  bytes: number;
}

function groups(path: string): Map<string, Group> {
  const heap = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = heap.snapshot.meta.node_fields;
  const width = fields.length;
  const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
    number,
    number,
    number,
  ];
  const types = heap.snapshot.meta.node_types[0];
  const byName = new Map<string, Group>();
  for (let i = 0; i < heap.nodes.length; i += width) {
    const type = types[heap.nodes[i + typeAt]!]!;
    // Objects by constructor name; everything else (strings, code, arrays' backing stores) by type.
    const key = type === 'object' || type === 'closure' ? `${type} ${heap.strings[heap.nodes[i + nameAt]!]}` : type;
    const group = byName.get(key) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += heap.nodes[i + sizeAt]!;
    byName.set(key, group);
  }
  return byName;
}

const [beforePath, afterPath, rowsArg] = process.argv.slice(2);
if (!beforePath || !afterPath)
  throw new Error('usage: tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> [rows]');
const before = groups(beforePath);
const after = groups(afterPath);
const rows = [...new Set([...before.keys(), ...after.keys()])]
  .map((key) => {
    const b = before.get(key) ?? { count: 0, bytes: 0 };
    const a = after.get(key) ?? { count: 0, bytes: 0 };
    return { key, count: a.count - b.count, bytes: a.bytes - b.bytes, total: a.bytes };
  })
  .sort((x, y) => y.bytes - x.bytes)
  .slice(0, Number(rowsArg ?? 25));
const total = (g: Map<string, Group>) => [...g.values()].reduce((sum, x) => sum + x.bytes, 0);
process.stdout.write(
  [
    `heap: ${(total(before) / 2 ** 20).toFixed(1)} → ${(total(after) / 2 ** 20).toFixed(1)} MB`,
    '| what | Δ count | Δ KiB | KiB after |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.key} | ${r.count} | ${(r.bytes / 1024).toFixed(1)} | ${(r.total / 1024).toFixed(1)} |`),
  ].join('\n') + '\n',
);
