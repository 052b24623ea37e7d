import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import {
  loadTransferDeliveryConfig,
  TRANSFER_DELIVERY_DEFAULTS,
} from '../../src/modules/transfers/transfer-delivery-config.ts';

describe('transfer delivery settings', () => {
  it('default to a capped, jittered back-off of 1 s to 60 s, flagged as stalled after 30 attempts', () => {
    expect(loadConfig({}).transferDelivery).toEqual(TRANSFER_DELIVERY_DEFAULTS);
    expect(TRANSFER_DELIVERY_DEFAULTS).toMatchObject({ retryInitialMs: 1_000, retryMaxMs: 60_000, attempts: 30 });
  });

  it('are read from TRANSFER_DELIVERY_* variables', () => {
    const config = loadTransferDeliveryConfig({
      TRANSFER_DELIVERY_RETRY_INITIAL_MS: '200',
      TRANSFER_DELIVERY_RETRY_MAX_MS: '5000',
      TRANSFER_DELIVERY_STALLED_AFTER_ATTEMPTS: '7',
      TRANSFER_DELIVERY_MAX_IN_FLIGHT: '2',
      TRANSFER_DELIVERY_POLL_INTERVAL_MS: '500',
      TRANSFER_DELIVERY_IDLE_POLL_MAX_MS: '10000',
      TRANSFER_DELIVERY_LEASE_MS: '30000',
      TRANSFER_DELIVERY_STOP_GRACE_MS: '0',
    });
    expect(config).toEqual({
      retryInitialMs: 200,
      retryMaxMs: 5_000,
      attempts: 7,
      maxInFlight: 2,
      pollIntervalMs: 500,
      idlePollMaxMs: 10_000,
      leaseMs: 30_000,
      stopGraceMs: 0,
    });
  });

  it('name every bad variable at once', () => {
    const load = () =>
      loadTransferDeliveryConfig({
        TRANSFER_DELIVERY_STALLED_AFTER_ATTEMPTS: '0',
        TRANSFER_DELIVERY_MAX_IN_FLIGHT: 'many',
      });
    expect(load).toThrow(
      /TRANSFER_DELIVERY_STALLED_AFTER_ATTEMPTS[\s\S]*TRANSFER_DELIVERY_MAX_IN_FLIGHT|TRANSFER_DELIVERY_MAX_IN_FLIGHT[\s\S]*TRANSFER_DELIVERY_STALLED_AFTER_ATTEMPTS/,
    );
  });

  it('refuse a back-off cap below its first delay', () => {
    expect(() =>
      loadTransferDeliveryConfig({
        TRANSFER_DELIVERY_RETRY_INITIAL_MS: '5000',
        TRANSFER_DELIVERY_RETRY_MAX_MS: '1000',
      }),
    ).toThrow('TRANSFER_DELIVERY_RETRY_MAX_MS: must not be below TRANSFER_DELIVERY_RETRY_INITIAL_MS');
  });
});
