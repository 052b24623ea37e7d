import type { AgencyProfile } from './profiles/profile-types.ts';

/** What the environment set explicitly (`UPSTREAM_*`); undefined where it said nothing. */
export interface ExplicitResilience {
  timeoutMs?: number;
  retries?: number;
  deadlineMs?: number;
  maxConcurrent?: number;
}

/** The gateway's own defaults, for a setting neither the environment nor the source's profile gives. */
export const RESILIENCE_DEFAULTS = { timeoutMs: 2000, retries: 2, maxConcurrent: 16 } as const;

/**
 * One source's resilience, setting by setting: an explicit `UPSTREAM_*` variable wins, then the
 * source's profile (`resilience:`), then the gateway's default. The deadline defaults to the
 * timeout so resolved, so a slow source costs a query at most one timeout unless told otherwise.
 */
export function effectiveResilience(
  explicit: ExplicitResilience,
  profile?: Pick<AgencyProfile, 'resilience'>,
): Required<ExplicitResilience> {
  const own = profile?.resilience ?? {};
  const timeoutMs = explicit.timeoutMs ?? own.timeoutMs ?? RESILIENCE_DEFAULTS.timeoutMs;
  return {
    timeoutMs,
    retries: explicit.retries ?? own.retries ?? RESILIENCE_DEFAULTS.retries,
    deadlineMs: explicit.deadlineMs ?? own.deadlineMs ?? timeoutMs,
    maxConcurrent: explicit.maxConcurrent ?? own.bulkhead?.maxConcurrent ?? RESILIENCE_DEFAULTS.maxConcurrent,
  };
}
