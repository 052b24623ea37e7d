import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ObjectSlot } from '../../src/platform/object-slot.ts';

describe('a value kept in an object slot', () => {
  const slot = new ObjectSlot<object, { caller: string }>('verified caller');

  it('is read back from the object it was set on, and from no other', () => {
    const request = {};
    slot.set(request, { caller: 'officer' });
    expect(slot.get(request)).toEqual({ caller: 'officer' });
    expect(slot.has(request)).toBe(true);
    expect(slot.get({})).toBeUndefined();
  });

  it('is not carried by a spread or Object.assign, nor shown by inspect or JSON', () => {
    const request = { path: '/graphql' };
    slot.set(request, { caller: 'officer' });
    expect(slot.get({ ...request })).toBeUndefined();
    expect(slot.get(Object.assign({}, request))).toBeUndefined();
    expect(inspect(request)).not.toContain('officer');
    expect(JSON.stringify(request)).toBe('{"path":"/graphql"}');
  });

  it('can be set again and cleared', () => {
    const request = {};
    slot.set(request, { caller: 'first' });
    slot.set(request, { caller: 'second' });
    expect(slot.get(request)).toEqual({ caller: 'second' });
    slot.clear(request);
    expect(slot.has(request)).toBe(false);
  });

  it('refuses an object that cannot hold it, rather than losing the value silently', () => {
    expect(() => slot.set(Object.freeze({}), { caller: 'officer' })).toThrow(/cannot hold it/);
  });
});
