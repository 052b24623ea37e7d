import type { FaultSettings } from './server/faults.ts';
import type { StatsSnapshot } from './server/stats.ts';
import type { CreditCheckManifest } from './world/credit-check-cases.ts';
import type { ManifestEntry } from './world/model.ts';

export type { FaultSettings } from './server/faults.ts';
export type { StatsSnapshot } from './server/stats.ts';

/** A typed client for one simulator's /__sim/ control API. */
export interface SimulatorControl {
  health(): Promise<{ ok: boolean; system: string }>;
  setFaults(faults: Partial<FaultSettings>): Promise<FaultSettings>;
  clearFaults(): Promise<FaultSettings>;
  stats(): Promise<StatsSnapshot>;
  resetStats(): Promise<void>;
  /** Changes a record in the system's own format and bumps its update time. */
  mutate(resource: string, id: string, patch: Record<string, unknown>): Promise<void>;
  manifest(): Promise<ManifestEntry[]>;
  /** Subjects that trigger each credit-check rule, and some that trigger none. */
  creditCheckManifest(): Promise<CreditCheckManifest>;
}

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${baseUrl}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`simulator control ${method} ${path} failed: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export function simulatorControl(baseUrl: string): SimulatorControl {
  return {
    health: () => call(baseUrl, 'GET', 'health'),
    setFaults: (faults) => call(baseUrl, 'POST', 'faults', faults),
    clearFaults: () => call(baseUrl, 'DELETE', 'faults'),
    stats: () => call(baseUrl, 'GET', 'stats'),
    resetStats: async () => {
      await call(baseUrl, 'POST', 'stats/reset');
    },
    mutate: async (resource, id, patch) => {
      await call(baseUrl, 'POST', 'mutate', { resource, id, patch });
    },
    manifest: () => call(baseUrl, 'GET', 'manifest'),
    creditCheckManifest: () => call(baseUrl, 'GET', 'manifest/credit-check'),
  };
}
