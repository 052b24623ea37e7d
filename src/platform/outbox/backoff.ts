import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff } from 'cockatiel';

export interface BackoffSettings {
  /** First retry delay; later ones grow exponentially, with jitter, up to `maxMs`. */
  initialMs: number;
  maxMs: number;
}

/**
 * Delay before the attempt after `failedAttempts` failures: cockatiel's exponential back-off with
 * decorrelated jitter (so receivers that came back are not hit by every gateway at once), capped.
 * Attempts are counted in the store and may resume on another instance after a restart, so the
 * back-off is walked from the start for each failure rather than kept in memory.
 */
/** Past this many failures every delay is the cap (2^64 × any initial delay exceeds any cap); the walk stops there. */
const SATURATED_AFTER = 64;

export function retryDelayMs(failedAttempts: number, options: BackoffSettings): number {
  const factory = new ExponentialBackoff({
    generator: decorrelatedJitterGenerator,
    initialDelay: options.initialMs,
    maxDelay: options.maxMs,
  });
  let backoff: IBackoff<unknown> = factory.next();
  for (let step = 1; step < Math.min(failedAttempts, SATURATED_AFTER); step += 1) backoff = backoff.next(undefined);
  return Math.min(backoff.duration, options.maxMs);
}
