import { describe, expect, it } from 'vitest';
import { rssByPart, rssNow, sampleRss } from '../../bench/harness/smaps.ts';

// The memory benchmarks split a gateway's RSS by mapping to tell V8's pages from malloc's; the
// split must add up to the RSS the kernel reports, or a lever would be credited to the wrong part.
describe('RSS by mapping (Linux /proc, as the memory benchmarks)', () => {
  it('adds up to the RSS of the process', () => {
    const parts = rssByPart(process.pid);
    const total = [...parts.values()].reduce((a, b) => a + b, 0);
    const rss = rssNow(process.pid);
    expect(parts.get('node binary')).toBeGreaterThan(0);
    expect(parts.get('V8 heap pages')).toBeGreaterThan(0);
    // Read a moment apart, so within a few percent rather than exact.
    expect(Math.abs(total - rss) / rss).toBeLessThan(0.05);
  });

  it('counts a WebAssembly memory as other anonymous memory, not as a malloc arena', () => {
    const part = 'other anonymous (WebAssembly, code, large objects)';
    const before = rssByPart(process.pid);
    // 32 MiB, touched: PGlite's Postgres heap is such a memory, reserved gigabytes wide.
    const memory = new WebAssembly.Memory({ initial: 512 });
    new Uint8Array(memory.buffer).fill(1);
    const after = rssByPart(process.pid);
    const grew = (name: Parameters<typeof after.get>[0]) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(grew(part)).toBeGreaterThan(30 * 2 ** 20);
    expect(grew('malloc (thread arenas)')).toBeLessThan(2 ** 20);
    expect(memory.buffer.byteLength).toBe(32 * 2 ** 20);
  });

  it('samples RSS while something runs and keeps the split at the highest sample', async () => {
    const sampler = sampleRss(process.pid, 10);
    const held: Buffer[] = [];
    for (let i = 0; i < 20; i += 1) {
      held.push(Buffer.alloc(2 ** 20, 1));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const { meanBytes, maxBytes, atMax } = sampler.stop();
    expect(maxBytes).toBeGreaterThanOrEqual(meanBytes);
    expect(meanBytes).toBeGreaterThan(0);
    expect([...atMax.values()].reduce((a, b) => a + b, 0)).toBe(maxBytes);
    expect(held).toHaveLength(20);
  });
});

it('reads nothing for a process that is not there', () => {
  expect(rssByPart(2 ** 30).size).toBe(0);
  expect(rssNow(2 ** 30)).toBe(0);
});
