import { describe, expect, it } from 'vitest';
import { VersionedCache } from '../../src/modules/registry/versioned-cache.ts';

describe('a versioned cache', () => {
  it('reads again when the version moved, and keeps the read while it stays', async () => {
    const cache = new VersionedCache<string>(4);
    let reads = 0;
    const read = async () => `read ${++reads}`;
    expect(await cache.get('page', '1', read)).toBe('read 1');
    expect(await cache.get('page', '1', read)).toBe('read 1');
    expect(await cache.get('page', '2', read)).toBe('read 2');
  });

  it('shares one read among callers that ask at once', async () => {
    const cache = new VersionedCache<number>(4);
    let reads = 0;
    const read = async () => ++reads;
    expect(await Promise.all([cache.get('page', '1', read), cache.get('page', '1', read)])).toEqual([1, 1]);
  });

  it('keeps no failed read, so the next caller reads again', async () => {
    const cache = new VersionedCache<string>(4);
    await expect(cache.get('page', '1', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(cache.size).toBe(0);
    expect(await cache.get('page', '1', async () => 'fresh')).toBe('fresh');
  });

  it('drops the least recently used beyond its capacity', async () => {
    const cache = new VersionedCache<string>(2);
    await cache.get('a', '1', async () => 'a');
    await cache.get('b', '1', async () => 'b');
    await cache.get('a', '1', async () => 'a again');
    await cache.get('c', '1', async () => 'c');
    expect(cache.size).toBe(2);
    expect(await cache.get('a', '1', async () => 'a read again')).toBe('a');
    expect(await cache.get('b', '1', async () => 'b read again')).toBe('b read again');
  });
});
