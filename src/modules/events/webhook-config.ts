import { z } from 'zod';
import { positiveTimerMs, timerMsOrZero } from '../../platform/timer-ms.ts';
import { integerSetting } from '../../platform/env-values.ts';
import { readSettings } from '../../platform/config-problems.ts';
import { readWebhookDestinationPolicy, type WebhookDestinationPolicy } from './webhook-destination-policy.ts';

/** How webhooks are signed, sent and retried; every setting has a default that suits the demo. */
export interface WebhookConfig {
  /**
   * The signing key: an EC P-256 private JWK (JSON) or a PKCS#8 PEM. Unset: a key generated on
   * first start and kept under `<DATA_DIR>/webhook-signing/` (or in memory with `memory://`).
   * Several gateway instances must share one key, so configure it for those.
   */
  signingKey: string | undefined;
  /** Per-attempt timeout of a webhook POST. */
  timeoutMs: number;
  /** Attempts before a delivery is dead-lettered: 20 with the default back-off spans about 7 hours (an agency's outage of an afternoon). */
  maxAttempts: number;
  /** First retry delay; later ones grow exponentially, with jitter, up to `retryMaxMs`. */
  retryInitialMs: number;
  retryMaxMs: number;
  /** How often the store is polled for due deliveries when nothing wakes the dispatcher sooner. */
  pollIntervalMs: number;
  /**
   * With nothing due, the dispatcher sleeps until the next delivery is due, at most this long (and
   * never less than `pollIntervalMs`): how late an event another instance published may be noticed.
   */
  idlePollMaxMs: number;
  /** Deliveries in flight at once per gateway instance. */
  maxInFlight: number;
  /** On shutdown, how long deliveries in flight may finish before they are abandoned (and retried later). */
  stopGraceMs: number;
  /** Acknowledged deliveries are deleted after this many days (events and dead letters are kept). */
  deliveredRetentionDays: number;
  /**
   * Where webhooks may go: public addresses, and the internal ranges and hosts WEBHOOK_ALLOWED_CIDRS /
   * WEBHOOK_ALLOWED_HOSTS permit; on the ports WEBHOOK_ALLOWED_PORTS permits (80, 443, 8080, 8443 unset).
   */
  destinations: WebhookDestinationPolicy;
}

const environment = z.object({
  WEBHOOK_SIGNING_KEY: z.string().min(1).optional(),
  WEBHOOK_TIMEOUT_MS: positiveTimerMs.default(10_000),
  WEBHOOK_MAX_ATTEMPTS: integerSetting(1, 100).default(20),
  WEBHOOK_RETRY_INITIAL_MS: positiveTimerMs.default(1_000),
  WEBHOOK_RETRY_MAX_MS: positiveTimerMs.default(3_600_000),
  WEBHOOK_POLL_INTERVAL_MS: positiveTimerMs.default(1_000),
  WEBHOOK_IDLE_POLL_MAX_MS: positiveTimerMs.default(10_000),
  WEBHOOK_MAX_IN_FLIGHT: integerSetting(1, 256).default(16),
  WEBHOOK_STOP_GRACE_MS: timerMsOrZero.default(5_000),
  WEBHOOK_DELIVERED_RETENTION_DAYS: integerSetting(1).default(30),
});

/** Reads the webhook settings, naming every bad variable at once. */
export function loadWebhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  const e = readSettings(environment, env);
  const { policy: destinations, problems } = readWebhookDestinationPolicy(env);
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
  if (e.WEBHOOK_RETRY_MAX_MS < e.WEBHOOK_RETRY_INITIAL_MS) {
    throw new Error('Invalid configuration:\n  WEBHOOK_RETRY_MAX_MS: must not be below WEBHOOK_RETRY_INITIAL_MS');
  }
  return {
    signingKey: e.WEBHOOK_SIGNING_KEY,
    timeoutMs: e.WEBHOOK_TIMEOUT_MS,
    maxAttempts: e.WEBHOOK_MAX_ATTEMPTS,
    retryInitialMs: e.WEBHOOK_RETRY_INITIAL_MS,
    retryMaxMs: e.WEBHOOK_RETRY_MAX_MS,
    pollIntervalMs: e.WEBHOOK_POLL_INTERVAL_MS,
    idlePollMaxMs: e.WEBHOOK_IDLE_POLL_MAX_MS,
    maxInFlight: e.WEBHOOK_MAX_IN_FLIGHT,
    stopGraceMs: e.WEBHOOK_STOP_GRACE_MS,
    deliveredRetentionDays: e.WEBHOOK_DELIVERED_RETENTION_DAYS,
    destinations,
  };
}
