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

  it('counts the transfer workers’ grace too, since the two kinds of worker stop one after the other', () => {
    const settings = { SHUTDOWN_GRACE_MS: '10000', WEBHOOK_STOP_GRACE_MS: '3000' };
    expect(loadConfig({ ...settings, TRANSFER_DELIVERY_STOP_GRACE_MS: '5000' }).shutdownGraceMs).toBe(10_000);
    expect(() => loadConfig({ ...settings, TRANSFER_DELIVERY_STOP_GRACE_MS: '7000' })).toThrow(
      /SHUTDOWN_GRACE_MS: must exceed WEBHOOK_STOP_GRACE_MS \+ TRANSFER_DELIVERY_STOP_GRACE_MS by more than 1000 ms/,
    );
  });
});
