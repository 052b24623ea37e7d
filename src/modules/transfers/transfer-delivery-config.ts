import { loadOutboxSettings, type OutboxSettings } from '../../platform/outbox/index.ts';

/**
 * How transfers are written to the enforcement system (TRANSFER_DELIVERY_* variables). A transfer
 * is never given up on a failure that retrying can fix: after `attempts` failures (30 with the
 * defaults is about half an hour) it is flagged as stalled, and still retried at the capped back-off.
 */
export type TransferDeliveryConfig = OutboxSettings;

export const TRANSFER_DELIVERY_DEFAULTS: TransferDeliveryConfig = {
  retryInitialMs: 1_000,
  retryMaxMs: 60_000,
  pollIntervalMs: 2_000,
  // Transfers this process stores wake it at once; this bounds one stored by another instance.
  idlePollMaxMs: 10_000,
  maxInFlight: 4,
  leaseMs: 60_000,
  stopGraceMs: 5_000,
  attempts: 30,
};

export function loadTransferDeliveryConfig(env: NodeJS.ProcessEnv): TransferDeliveryConfig {
  return loadOutboxSettings(env, 'TRANSFER_DELIVERY_', 'STALLED_AFTER_ATTEMPTS', TRANSFER_DELIVERY_DEFAULTS);
}
