import { badRequest } from './sim-error.ts';

/** Misbehaviour the tests and benchmarks switch on, per simulator. */
export interface FaultSettings {
  /** Added to every answer. */
  latencyMs: number;
  /** Plus a uniformly random extra of up to this. */
  jitterMs: number;
  /** Share of requests that also wait `slowMs`. */
  slowRate: number;
  slowMs: number;
  /** Share answered HTTP 500 with the system's error envelope. */
  errorRate: number;
  /** Share accepted and never answered. */
  timeoutRate: number;
  /** Every connection is closed at once, as a dead host would. */
  down: boolean;
}

export const NO_FAULTS: FaultSettings = {
  latencyMs: 0,
  jitterMs: 0,
  slowRate: 0,
  slowMs: 0,
  errorRate: 0,
  timeoutRate: 0,
  down: false,
};

type NumericSetting = Exclude<keyof FaultSettings, 'down'>;
const NUMERIC_SETTINGS: readonly NumericSetting[] = [
  'latencyMs',
  'jitterMs',
  'slowRate',
  'slowMs',
  'errorRate',
  'timeoutRate',
];
const RATES: readonly NumericSetting[] = ['slowRate', 'errorRate', 'timeoutRate'];

function isNumericSetting(key: string): key is NumericSetting {
  return (NUMERIC_SETTINGS as readonly string[]).includes(key);
}

/** Merges a patch into the current settings, refusing anything that is not a known setting. */
export function mergeFaults(current: FaultSettings, patch: unknown): FaultSettings {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
    throw badRequest('faults must be an object such as { "errorRate": 0.1 }');
  }
  const next: FaultSettings = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (key === 'down') {
      if (typeof value !== 'boolean') throw badRequest('down must be true or false');
      next.down = value;
      continue;
    }
    if (!isNumericSetting(key)) throw badRequest(`unknown fault setting '${key}'`);
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw badRequest(`${key} must be a number of at least 0`);
    }
    if (RATES.includes(key) && value > 1) throw badRequest(`${key} is a share between 0 and 1`);
    next[key] = value;
  }
  return next;
}

/** How long to hold this request before answering. Faults use Math.random: they need not repeat. */
export function delayFor(faults: FaultSettings): number {
  let delay = faults.latencyMs + Math.random() * faults.jitterMs;
  if (faults.slowRate > 0 && Math.random() < faults.slowRate) delay += faults.slowMs;
  return delay;
}
