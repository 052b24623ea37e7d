import { z } from 'zod';

/**
 * The longest delay Node's timers take. A longer one fires after 1 ms instead (with only a
 * TimeoutOverflowWarning), so a poll interval set to "a very long time" would spin.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A millisecond setting that reaches a timer: a positive whole number a timer can wait. */
export const positiveTimerMs = z.coerce.number().int().positive().max(MAX_TIMER_MS);

/** The same, where 0 means off or no wait. */
export const timerMsOrZero = z.coerce.number().int().min(0).max(MAX_TIMER_MS);
