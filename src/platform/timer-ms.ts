import { integerSetting } from './env-values.ts';

/**
 * The longest delay Node's timers take. A longer one fires after 1 ms instead (with only a
 * TimeoutOverflowWarning), so a poll interval set to "a very long time" would spin.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A millisecond setting that reaches a timer: a positive whole number a timer can wait. */
export const positiveTimerMs = integerSetting(1, MAX_TIMER_MS);

/** The same, where 0 means off or no wait. */
export const timerMsOrZero = integerSetting(0, MAX_TIMER_MS);
