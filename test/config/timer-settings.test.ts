import { describe, expect, it } from 'vitest';
import { loadWebhookConfig } from '../../src/modules/events/webhook-config.ts';
import { loadTransferDeliveryConfig } from '../../src/modules/transfers/transfer-delivery-config.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { MAX_TIMER_MS } from '../../src/platform/timer-ms.ts';

/*
 * A delay over 2^31−1 ms makes Node's timer fire after 1 ms: an operator who sets a poll interval
 * to "practically never" would get a loop that polls a thousand times a second. Every millisecond
 * setting that reaches a timer is refused above that, by name.
 */
const tooLong = String(MAX_TIMER_MS + 1);

describe('millisecond settings that reach a timer', () => {
  it('accept the longest delay a timer can wait', () => {
    expect(loadWebhookConfig({ WEBHOOK_IDLE_POLL_MAX_MS: String(MAX_TIMER_MS) }).idlePollMaxMs).toBe(MAX_TIMER_MS);
    expect(
      loadTransferDeliveryConfig({ TRANSFER_DELIVERY_POLL_INTERVAL_MS: String(MAX_TIMER_MS) }).pollIntervalMs,
    ).toBe(MAX_TIMER_MS);
  });

  it.each([
    'WEBHOOK_TIMEOUT_MS',
    'WEBHOOK_RETRY_INITIAL_MS',
    'WEBHOOK_POLL_INTERVAL_MS',
    'WEBHOOK_IDLE_POLL_MAX_MS',
    'WEBHOOK_STOP_GRACE_MS',
  ])('refuse %s above it', (name) => {
    expect(() => loadWebhookConfig({ [name]: tooLong })).toThrow(name);
  });

  it.each([
    'TRANSFER_DELIVERY_RETRY_INITIAL_MS',
    'TRANSFER_DELIVERY_POLL_INTERVAL_MS',
    'TRANSFER_DELIVERY_IDLE_POLL_MAX_MS',
    'TRANSFER_DELIVERY_LEASE_MS',
    'TRANSFER_DELIVERY_STOP_GRACE_MS',
  ])('refuse %s above it', (name) => {
    expect(() => loadTransferDeliveryConfig({ [name]: tooLong })).toThrow(name);
  });

  it.each([
    'REGISTRY_SYNC_INTERVAL_MS',
    'LOOP_INDEX_SYNC_INTERVAL_MS',
    'SHUTDOWN_GRACE_MS',
    'UPSTREAM_TIMEOUT_MS',
    'DATABASE_CONNECT_TIMEOUT_MS',
    'DATABASE_QUERY_TIMEOUT_MS',
    'DATABASE_BACKGROUND_QUERY_TIMEOUT_MS',
    'DATABASE_MIGRATION_TIMEOUT_MS',
  ])('refuse %s above it', (name) => {
    expect(() => loadConfig({ [name]: tooLong })).toThrow(name);
  });

  it('refuse a migration bound too short for any migration to run', () => {
    expect(() => loadConfig({ DATABASE_MIGRATION_TIMEOUT_MS: '999' })).toThrow('DATABASE_MIGRATION_TIMEOUT_MS');
    expect(loadConfig({ DATABASE_MIGRATION_TIMEOUT_MS: '1000' }).databaseTimeouts.migrationMs).toBe(1000);
  });
});
