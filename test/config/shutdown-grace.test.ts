import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';

describe('SHUTDOWN_GRACE_MS', () => {
  it("defaults to 25 s, inside Kubernetes' 30 s before it kills", () => {
    expect(loadConfig({}).shutdownGraceMs).toBe(25_000);
  });

  it("is refused when it leaves no time to drain HTTP before the webhook workers' own grace", () => {
    expect(() => loadConfig({ SHUTDOWN_GRACE_MS: '5000', WEBHOOK_STOP_GRACE_MS: '5000' })).toThrow(
      /SHUTDOWN_GRACE_MS: must exceed WEBHOOK_STOP_GRACE_MS/,
    );
  });
});
