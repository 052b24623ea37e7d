import { z } from 'zod';
import { positiveTimerMs, timerMsOrZero } from '../timer-ms.ts';
import { integerSetting } from '../env-values.ts';
import { readSettings } from '../config-problems.ts';

/** What an outbox takes from the environment, under its own prefix (e.g. TRANSFER_DELIVERY_). */
export interface OutboxSettings {
  /** First retry delay; later ones grow exponentially, with decorrelated jitter, up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** How often the store is polled when nothing wakes the runner sooner. */
  pollIntervalMs: number;
  /**
   * With nothing due, the runner sleeps until the next pending job is due, at most this long (and
   * never less than `pollIntervalMs`): how late a job another instance queued may be noticed.
   */
  idlePollMaxMs: number;
  /** Jobs in flight at once per gateway instance. */
  maxInFlight: number;
  /** How long a claim holds before another instance may take the job over. */
  leaseMs: number;
  /** On shutdown, how long jobs in flight may finish before they are given back. */
  stopGraceMs: number;
  /** Failed attempts after which a job is dead-lettered, or flagged as stalled (per outbox). */
  attempts: number;
}

/**
 * Reads `<prefix>RETRY_INITIAL_MS`, `RETRY_MAX_MS`, `POLL_INTERVAL_MS`, `IDLE_POLL_MAX_MS`, `MAX_IN_FLIGHT`,
 * `LEASE_MS`, `STOP_GRACE_MS` and the attempts variable named by `attemptsVariable`, each
 * defaulting to `defaults`; names every bad variable at once.
 */
export function loadOutboxSettings(
  env: NodeJS.ProcessEnv,
  prefix: string,
  attemptsVariable: string,
  defaults: OutboxSettings,
): OutboxSettings {
  const names = {
    retryInitialMs: `${prefix}RETRY_INITIAL_MS`,
    retryMaxMs: `${prefix}RETRY_MAX_MS`,
    pollIntervalMs: `${prefix}POLL_INTERVAL_MS`,
    idlePollMaxMs: `${prefix}IDLE_POLL_MAX_MS`,
    maxInFlight: `${prefix}MAX_IN_FLIGHT`,
    leaseMs: `${prefix}LEASE_MS`,
    stopGraceMs: `${prefix}STOP_GRACE_MS`,
    attempts: `${prefix}${attemptsVariable}`,
  } as const;
  const schema = z.object({
    [names.retryInitialMs]: positiveTimerMs.default(defaults.retryInitialMs),
    [names.retryMaxMs]: positiveTimerMs.default(defaults.retryMaxMs),
    [names.pollIntervalMs]: positiveTimerMs.default(defaults.pollIntervalMs),
    [names.idlePollMaxMs]: positiveTimerMs.default(defaults.idlePollMaxMs),
    [names.maxInFlight]: integerSetting(1, 256).default(defaults.maxInFlight),
    [names.leaseMs]: positiveTimerMs.default(defaults.leaseMs),
    [names.stopGraceMs]: timerMsOrZero.default(defaults.stopGraceMs),
    [names.attempts]: integerSetting(1, 1_000_000).default(defaults.attempts),
  });
  const read = readSettings(schema, env);
  const value = (name: string): number => Number(read[name]);
  const settings: OutboxSettings = {
    retryInitialMs: value(names.retryInitialMs),
    retryMaxMs: value(names.retryMaxMs),
    pollIntervalMs: value(names.pollIntervalMs),
    idlePollMaxMs: value(names.idlePollMaxMs),
    maxInFlight: value(names.maxInFlight),
    leaseMs: value(names.leaseMs),
    stopGraceMs: value(names.stopGraceMs),
    attempts: value(names.attempts),
  };
  if (settings.retryMaxMs < settings.retryInitialMs) {
    throw new Error(`Invalid configuration:\n  ${names.retryMaxMs}: must not be below ${names.retryInitialMs}`);
  }
  return settings;
}
