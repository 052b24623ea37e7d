import { describe, expect, it } from 'vitest';
import { effectiveResilience, RESILIENCE_DEFAULTS } from '../../src/connectors/index.ts';
import { loadConfig } from '../../src/platform/config.ts';

const provincial = {
  resilience: { timeoutMs: 5000, retries: 0, deadlineMs: 6000, bulkhead: { maxConcurrent: 4, maxQueued: 8 } },
};
const county = { resilience: { timeoutMs: 1500 } };

describe('resilience of each source', () => {
  it('is what its profile says when no UPSTREAM_* variable is set', () => {
    const explicit = loadConfig({}).upstreams.supervision;
    expect(effectiveResilience(explicit, provincial)).toEqual({
      timeoutMs: 5000,
      retries: 0,
      deadlineMs: 6000,
      maxConcurrent: 4,
    });
  });

  it('differs between two sources of one system, each from its own profile', () => {
    const explicit = loadConfig({}).upstreams.supervision;
    expect(effectiveResilience(explicit, county).timeoutMs).toBe(1500);
    expect(effectiveResilience(explicit, provincial).timeoutMs).toBe(5000);
  });

  it('takes an explicitly set variable over the profile, setting by setting', () => {
    const explicit = loadConfig({ UPSTREAM_TIMEOUT_MS: '700', UPSTREAM_MAX_CONCURRENCY: '32' }).upstreams.supervision;
    expect(effectiveResilience(explicit, provincial)).toEqual({
      timeoutMs: 700,
      retries: 0,
      deadlineMs: 6000,
      maxConcurrent: 32,
    });
  });

  it("falls back to the gateway's defaults, the deadline being the timeout so resolved", () => {
    expect(effectiveResilience(loadConfig({}).upstreams.enforcement)).toEqual({
      ...RESILIENCE_DEFAULTS,
      deadlineMs: RESILIENCE_DEFAULTS.timeoutMs,
    });
    expect(effectiveResilience({}, county).deadlineMs).toBe(1500);
  });
});
