import { type FaultSettings, NO_FAULTS, mergeFaults } from './faults.ts';
import type { RawJson } from './raw-json.ts';
import { SimError, badRequest } from './sim-error.ts';
import type { SimRequest, SimulatedSystem } from './simulated-system.ts';
import type { SimStats } from './stats.ts';

/** What the control API reads and changes on one running simulator. */
export interface ControlTarget {
  simulated: SimulatedSystem;
  stats: SimStats;
  faults: FaultSettings;
  manifest: RawJson;
  /** Subjects that trigger each credit-check rule (and some that trigger none). */
  creditCheckManifest: RawJson;
}

async function mutate(target: ControlTarget, body: unknown): Promise<{ ok: true }> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('mutate body must be { "resource", "id", "patch" }');
  }
  const { resource, id, patch } = body as Record<string, unknown>;
  const store = target.simulated.resources.find((r) => r.name === resource);
  if (!store) {
    const names = target.simulated.resources.map((r) => r.name).join(', ');
    throw badRequest(`unknown resource '${String(resource)}'; this system has: ${names}`);
  }
  if (typeof id !== 'string') throw badRequest('id must be a string');
  store.mutate(id, patch);
  await target.simulated.settled?.();
  return { ok: true };
}

/** The `/__sim/` API: health, stats, faults, mutate, manifest. Never subject to faults. */
export function controlRoute(target: ControlTarget, request: SimRequest): unknown {
  // Answers are plain values, except mutate's: a promise once the system's 前置库 has the change too.
  const route = `${request.method} ${request.path}`;
  switch (route) {
    case 'GET /__sim/health':
      return { ok: true, system: target.simulated.system };
    case 'GET /__sim/stats':
      return target.stats.snapshot();
    case 'POST /__sim/stats/reset':
      target.stats.reset();
      return { ok: true };
    case 'GET /__sim/faults':
      return target.faults;
    case 'POST /__sim/faults':
      target.faults = mergeFaults(target.faults, request.body ?? {});
      return target.faults;
    case 'DELETE /__sim/faults':
      target.faults = { ...NO_FAULTS };
      return target.faults;
    case 'POST /__sim/mutate':
      return mutate(target, request.body);
    case 'GET /__sim/manifest':
      return target.manifest;
    case 'GET /__sim/manifest/credit-check':
      return target.creditCheckManifest;
    default:
      throw new SimError(404, `no control endpoint ${route}`);
  }
}
