/** Upstream requests and batch sizes one query costs, read from the simulators' own statistics. */
import type { SimulatorControl } from '../../simulators/control-client.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from '../../src/domain/types.ts';
import { clientOf, type Target } from './load.ts';

export interface UpstreamCost {
  requests: Record<AgencySystem, number>;
  /** Keys per batch request, per system, in arrival order. */
  batchKeys: Record<AgencySystem, number[]>;
  total: number;
}

export async function upstreamCost(
  target: Target,
  body: string,
  controls: Record<AgencySystem, SimulatorControl>,
): Promise<UpstreamCost> {
  await Promise.all(AGENCY_SYSTEMS.map((s) => controls[s].resetStats()));
  const client = clientOf(target, 1);
  const sent = await client.send(body);
  await client.close();
  if (sent.status !== 200) throw new Error(`${target.name}: HTTP ${sent.status} ${sent.text.slice(0, 300)}`);
  const stats = await Promise.all(AGENCY_SYSTEMS.map((s) => controls[s].stats()));
  const requests = {} as Record<AgencySystem, number>;
  const batchKeys = {} as Record<AgencySystem, number[]>;
  AGENCY_SYSTEMS.forEach((system, i) => {
    requests[system] = Object.values(stats[i]!.requests).reduce((sum, n) => sum + n, 0);
    batchKeys[system] = stats[i]!.batchKeys;
  });
  return { requests, batchKeys, total: Object.values(requests).reduce((a, b) => a + b, 0) };
}

/** `3×20, 1×7` style: how many batches of each size. */
export function describeBatches(keys: readonly number[]): string {
  if (keys.length === 0) return '–';
  const counts = new Map<number, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[0] - a[0])
    .map(([size, n]) => (n === 1 ? `${size}` : `${n}×${size}`))
    .join(', ');
}
