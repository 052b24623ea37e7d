import { describe, expect, it } from 'vitest';
import { effectiveResilience, loadShippedProfile } from '../../src/connectors/index.ts';
import { loadConfig } from '../../src/platform/config.ts';

describe('UPSTREAM_DEADLINE_MS', () => {
  it('bounds every agency call when set', () => {
    const config = loadConfig({ UPSTREAM_DEADLINE_MS: '1000' });
    expect(Object.values(config.upstreams).map((u) => u.deadlineMs)).toEqual([1000, 1000, 1000, 1000]);
  });

  it('is one upstream timeout when unset, so a slow agency holds a query no longer than that', () => {
    // The deadline is resolved per source now (env, then the profile, then the timeout): see resilience-precedence.test.ts.
    const credit = loadShippedProfile('credit');
    expect(effectiveResilience(loadConfig({}).upstreams.credit, credit).deadlineMs).toBe(2000);
    expect(effectiveResilience(loadConfig({ UPSTREAM_TIMEOUT_MS: '800' }).upstreams.credit, credit).deadlineMs).toBe(
      800,
    );
  });

  it('refuses a deadline that is not a positive number of milliseconds', () => {
    expect(() => loadConfig({ UPSTREAM_DEADLINE_MS: '0' })).toThrow(/UPSTREAM_DEADLINE_MS/);
  });
});

describe('LOADER_BATCHING', () => {
  it('batches unless the benchmark turns it off', () => {
    expect(loadConfig({}).loaderBatching).toBe(true);
    expect(loadConfig({ LOADER_BATCHING: 'off' }).loaderBatching).toBe(false);
    expect(() => loadConfig({ LOADER_BATCHING: 'no' })).toThrow(/LOADER_BATCHING/);
  });
});
