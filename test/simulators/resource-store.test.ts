import { describe, expect, it } from 'vitest';
import { ResourceStore } from '../../simulators/server/resource-store.ts';

interface Thing {
  id: string;
  owner: string;
  updatedAt: number;
}

function thingStore(things: Thing[]): ResourceStore<Thing> {
  return new ResourceStore<Thing>({
    name: 'thing',
    records: things,
    id: (t) => t.id,
    updatedAt: (t) => t.updatedAt,
    render: (t) => ({ ID: t.id, OWNER: t.owner, UPDATED: t.updatedAt }),
    idField: 'ID',
    updatedField: 'UPDATED',
    formatUpdated: (ms) => ms,
    lookups: { ID: (t) => t.id, OWNER: (t) => t.owner },
  });
}

function ids(items: { text: string }[]): string[] {
  return items.map((i) => (JSON.parse(i.text) as { ID: string }).ID);
}

describe('resource store', () => {
  it('neither skips nor repeats records that share an update time across feed pages', () => {
    const things = Array.from({ length: 10 }, (_, i) => ({
      id: `T${9 - i}`,
      owner: 'o',
      updatedAt: i < 7 ? 1000 : 2000,
    }));
    const store = thingStore(things);
    const seen: string[] = [];
    let cursor: string | null = null;
    for (;;) {
      const page = store.changes(cursor, 3);
      seen.push(...ids(page.items));
      cursor = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(seen).toEqual(['T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T0', 'T1', 'T2']);
    expect(ids(store.changes(cursor, 3).items)).toEqual([]);
  });

  it('answers a batch in natural-id order with each record once, however often it matched', () => {
    const store = thingStore([
      { id: 'B', owner: 'x', updatedAt: 1 },
      { id: 'A', owner: 'x', updatedAt: 1 },
      { id: 'C', owner: 'y', updatedAt: 1 },
    ]);
    expect(ids(store.lookup('OWNER', ['y', 'x', 'x', 'nobody']))).toEqual(['A', 'B', 'C']);
    expect(ids(store.lookup('ID', ['C', 'A']))).toEqual(['A', 'C']);
  });

  it('refuses to mutate an unknown field or the id, and 404s an unknown record', () => {
    const store = thingStore([{ id: 'A', owner: 'x', updatedAt: 1 }]);
    expect(() => store.mutate('A', { COLOUR: 'red' })).toThrow("thing has no field 'COLOUR'");
    expect(() => store.mutate('A', { ID: 'Z' })).toThrow("'ID' identifies the record and cannot be changed");
    expect(() => store.mutate('Q', { OWNER: 'y' })).toThrow("no thing with id 'Q'");
  });
});
