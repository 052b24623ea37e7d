import { describe, expect, it } from 'vitest';
import { loaderOfMany, loaderOfOne } from '../../src/modules/subjects/keyed-loaders.ts';

interface Row {
  id: string;
  owner: string | null;
}

function recordingFetch(rows: Row[]) {
  const calls: string[][] = [];
  const fetch = async (keys: readonly string[]) => {
    calls.push([...keys]);
    return rows.filter((row) => keys.includes(row.id) || (row.owner !== null && keys.includes(row.owner)));
  };
  return { calls, fetch };
}

describe('keyed loaders', () => {
  it('asks the upstream once for every key requested in the same tick', async () => {
    const { calls, fetch } = recordingFetch([
      { id: 'a', owner: null },
      { id: 'b', owner: null },
    ]);
    const loader = loaderOfOne(fetch, (row) => row.id);
    const [a, b, missing] = await Promise.all([loader.load('a'), loader.load('b'), loader.load('zzz')]);
    expect(calls).toEqual([['a', 'b', 'zzz']]);
    expect(a?.id).toBe('a');
    expect(b?.id).toBe('b');
    expect(missing).toBeNull();
  });

  it('groups the records pointing at each key and gives an empty list to keys with none', async () => {
    const rows = [
      { id: 'p1', owner: 's1' },
      { id: 'p2', owner: 's1' },
      { id: 'p3', owner: 's2' },
      { id: 'p4', owner: null },
    ];
    const { calls, fetch } = recordingFetch(rows);
    const loader = loaderOfMany(fetch, (row) => row.owner);
    const [s1, s2, s3] = await Promise.all([loader.load('s1'), loader.load('s2'), loader.load('s3')]);
    expect(calls).toHaveLength(1);
    expect(s1.map((r) => r.id)).toEqual(['p1', 'p2']);
    expect(s2.map((r) => r.id)).toEqual(['p3']);
    expect(s3).toEqual([]);
  });

  it('fails every key of a batch when the upstream fails', async () => {
    const loader = loaderOfOne<Row>(
      async () => {
        throw new Error('down');
      },
      (row) => row.id,
    );
    await expect(Promise.all([loader.load('a'), loader.load('b')])).rejects.toThrow('down');
  });
});
