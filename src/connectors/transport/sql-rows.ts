import type { RawRecord } from './record-transport.ts';

/**
 * A row, its columns aliased to field paths, as the record the agency's API would send:
 * `sxmd.zt` becomes `{ sxmd: { zt } }`. Exchange tables are flat, so a nested object whose
 * every column is NULL is the API's `null` (no commitment, no listing).
 */
export function rowToRecord(row: Readonly<Record<string, unknown>>, fieldPaths: readonly string[]): RawRecord {
  const record: RawRecord = {};
  const groups = new Set<string>();
  for (const path of fieldPaths) {
    const parts = path.split('.');
    let target = record;
    for (let depth = 0; depth < parts.length - 1; depth++) {
      groups.add(parts.slice(0, depth + 1).join('.'));
      target = (target[parts[depth]!] ??= {}) as RawRecord;
    }
    target[parts[parts.length - 1]!] = row[path] ?? null;
  }
  // Deepest first, so an empty inner object empties its parent too.
  for (const group of [...groups].sort((a, b) => b.split('.').length - a.split('.').length)) {
    nullIfEmpty(record, group.split('.'));
  }
  return record;
}

function nullIfEmpty(record: RawRecord, path: string[]): void {
  let parent: RawRecord = record;
  for (const part of path.slice(0, -1)) {
    const next = parent[part];
    if (next === null || typeof next !== 'object') return;
    parent = next as RawRecord;
  }
  const key = path[path.length - 1]!;
  const value = parent[key];
  if (value !== null && typeof value === 'object' && Object.values(value).every((inner) => inner === null)) {
    parent[key] = null;
  }
}
