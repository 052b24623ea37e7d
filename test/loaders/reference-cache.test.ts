import { describe, expect, it } from 'vitest';
import type { Authority } from '../../src/domain/types.ts';
import { ReferenceCache, type ReferenceSource } from '../../src/modules/subjects/reference-cache.ts';

class CountingSource implements ReferenceSource {
  loads = 0;
  failNext = false;
  async jurisdictions() {
    this.loads += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('enforcement system down');
    }
    return [{ code: '330381', name: '瑞安市', level: 'COUNTY' as const, parentCode: '330300' }];
  }
  async authorities(): Promise<Authority[]> {
    return [];
  }
  async powerItems() {
    return [];
  }
}

describe('reference data cache', () => {
  it('loads once within its time to live and again after it', async () => {
    let now = 0;
    const source = new CountingSource();
    const cache = new ReferenceCache(source, 1000, () => now);
    await cache.get();
    await cache.get();
    expect(source.loads).toBe(1);
    now = 1001;
    const data = await cache.get();
    expect(source.loads).toBe(2);
    expect(data.jurisdictions.get('330381')?.name).toBe('瑞安市');
  });

  it('does not keep a failed load, so the next caller tries again', async () => {
    const source = new CountingSource();
    source.failNext = true;
    const cache = new ReferenceCache(source, 60_000, () => 0);
    await expect(cache.get()).rejects.toThrow('down');
    await expect(cache.get()).resolves.toBeDefined();
    expect(source.loads).toBe(2);
  });

  it('answers the last copy at once while a refresh is under way or fails, and waits only for the first load', async () => {
    let now = 0;
    const source = new CountingSource();
    source.failNext = true;
    const cache = new ReferenceCache(source, 1000, () => now);
    await expect(cache.latest()).rejects.toThrow('down');
    const first = await cache.latest();
    now = 1001;
    source.failNext = true;
    expect(await cache.latest()).toBe(first);
    expect(source.loads).toBe(3);
  });
});
