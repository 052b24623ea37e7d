import { describe, expect, it, vi } from 'vitest';
import { StoreHealth } from '../../src/platform/store/store-health.ts';
import { isStoreUnavailable } from '../../src/platform/store/store-unavailable.ts';

const timedOut = () => new Error('Query read timeout');

/** A probe the test answers: `fail` until `answer()` is called. */
function controlledProbe() {
  let answering = false;
  const probe = vi.fn(async () => {
    if (!answering) throw timedOut();
  });
  return { probe, answer: () => (answering = true) };
}

describe('the store health', () => {
  it('refuses new work at once, without running it, after a statement found the store not answering', async () => {
    const { probe } = controlledProbe();
    const health = new StoreHealth({ probe, initialRetryMs: 60_000 });
    await expect(health.start(() => Promise.reject(timedOut()))).rejects.toThrow('Query read timeout');
    // Down once the probe run at once has failed too.
    await vi.waitFor(() => expect(health.down).toBe(true), { timeout: 2_000 });

    const work = vi.fn(async () => 'rows');
    const refused = await health.start(work).catch((error: unknown) => error);
    expect(work).not.toHaveBeenCalled();
    expect(isStoreUnavailable(refused)).toBe(true);
    health.close();
  });

  it('still runs a statement of work already under way (a transaction’s rollback) while the store is down', async () => {
    const { probe } = controlledProbe();
    const health = new StoreHealth({ probe, initialRetryMs: 60_000 });
    await health.start(() => Promise.reject(timedOut())).catch(() => undefined);
    await vi.waitFor(() => expect(health.down).toBe(true), { timeout: 2_000 });
    await expect(health.watch(async () => 'rolled back')).resolves.toBe('rolled back');
    health.close();
  });

  it('is not marked down by an error of the statement itself (a constraint, bad SQL)', async () => {
    const health = new StoreHealth({ probe: async () => undefined });
    const constraint = Object.assign(new Error('duplicate key value'), { code: '23505' });
    await expect(health.start(() => Promise.reject(constraint))).rejects.toBe(constraint);
    expect(health.down).toBe(false);
    await expect(health.start(async () => 1)).resolves.toBe(1);
    health.close();
  });

  it('is not marked down by one statement past its bound while the store itself answers (a heavy query)', async () => {
    const probe = vi.fn(async () => undefined);
    const health = new StoreHealth({ probe, initialRetryMs: 60_000 });
    await expect(health.start(() => Promise.reject(timedOut()))).rejects.toThrow('Query read timeout');
    await vi.waitFor(() => expect(probe).toHaveBeenCalledTimes(1), { timeout: 2_000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(health.down).toBe(false);
    await expect(health.start(async () => 'rows')).resolves.toBe('rows');
    health.close();
  });

  it('is not marked down when a restart dropped the pooled connections: the probe tried again gets a fresh one', async () => {
    const dropped = () => new Error('Connection terminated unexpectedly');
    // The probe's pool still holds two connections the server dropped; the third try opens a new one.
    let stale = 2;
    const probe = vi.fn(async () => {
      if (stale-- > 0) throw dropped();
    });
    const health = new StoreHealth({ probe, initialRetryMs: 60_000 });
    await expect(health.start(() => Promise.reject(dropped()))).rejects.toThrow('Connection terminated');
    await expect(health.start(async () => 'rows')).resolves.toBe('rows');
    expect(probe).toHaveBeenCalledTimes(3);
    expect(health.down).toBe(false);
    health.close();
  });

  it('takes work again once a probe sees the store answer, probing with a growing but bounded wait', async () => {
    const { probe, answer } = controlledProbe();
    const changes: boolean[] = [];
    const health = new StoreHealth({
      probe,
      initialRetryMs: 10,
      maxRetryMs: 40,
      onChange: ({ up }) => changes.push(up),
    });
    await health.start(() => Promise.reject(timedOut())).catch(() => undefined);
    await vi.waitFor(() => expect(health.down).toBe(true), { timeout: 2_000 });
    // Three tries confirmed it down; two more are the background probes, each after a longer wait.
    await vi.waitFor(() => expect(probe.mock.calls.length).toBeGreaterThanOrEqual(5), { timeout: 2_000 });
    expect(health.down).toBe(true);

    answer();
    await vi.waitFor(() => expect(health.down).toBe(false), { timeout: 2_000 });
    await expect(health.start(async () => 'rows')).resolves.toBe('rows');
    expect(changes).toEqual([false, true]);
    health.close();
  });

  it('stops probing once closed', async () => {
    const { probe } = controlledProbe();
    const health = new StoreHealth({ probe, initialRetryMs: 10 });
    await health.start(() => Promise.reject(timedOut())).catch(() => undefined);
    await vi.waitFor(() => expect(health.down).toBe(true), { timeout: 2_000 });
    health.close();
    const probed = probe.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(probe).toHaveBeenCalledTimes(probed);
  });
});
