import { decorrelatedJitterGenerator, ExponentialBackoff, type IBackoff } from 'cockatiel';

/**
 * Delay before the attempt after `failedAttempts` failures: cockatiel's exponential back-off with
 * decorrelated jitter (so receivers that came back are not hit by every gateway at once), capped.
 * Attempts are counted in the store and may resume on another instance after a restart, so the
 * back-off is walked from the start for each failure rather than kept in memory.
 */
export function retryDelayMs(failedAttempts: number, options: { initialMs: number; maxMs: number }): number {
  const factory = new ExponentialBackoff({ generator: decorrelatedJitterGenerator, initialDelay: options.initialMs, maxDelay: options.maxMs });
  let backoff: IBackoff<unknown> = factory.next();
  for (let step = 1; step < failedAttempts; step += 1) backoff = backoff.next(undefined);
  return Math.min(backoff.duration, options.maxMs);
}
