/**
 * Interleaved, repeated runs: every round gives each variant the same load in turn, starting
 * with a different variant each round, so a slow spell of the shared machine lands on all of
 * them and shows as spread between rounds rather than as a difference between variants.
 */
import { closedLoop, newHistogram, openLoop, type Histogram, type LoadResult } from './load.ts';
import type { Variant, VariantName } from './variants.ts';

export interface Measured {
  histogram: Histogram;
  requests: number;
  failures: number;
  /** Per round. */
  rps: number[];
  cpuMsPerRequest: number[];
  eventLoopDelayP99Ms: number[];
  /** Full (mark-compact) collections in the variant's process during each round: what makes a round read high. */
  markCompacts: number[];
}

export type Measurements = Map<VariantName, Measured>;

export type Load =
  | { shape: 'closed'; connections: number; requests?: number; ms?: number }
  | { shape: 'open'; ratePerSecond: number; ms: number };

/** Runs `load` once against one variant, with its CPU and event-loop delay measured inside its process. */
export async function measureOnce(
  variant: Variant,
  body: string | readonly string[],
  load: Load,
): Promise<{ result: LoadResult; cpuMs: number; eventLoopDelayP99Ms: number; markCompacts: number }> {
  const before = await variant.child.probe('read-and-reset');
  const result =
    load.shape === 'closed'
      ? await closedLoop(variant, body, load.connections, { requests: load.requests, ms: load.ms })
      : await openLoop(variant, typeof body === 'string' ? body : body[0]!, load.ratePerSecond, load.ms);
  const after = await variant.child.probe('read');
  return {
    result,
    cpuMs: after.cpuMs - before.cpuMs,
    eventLoopDelayP99Ms: after.eventLoopDelayP99Ms,
    markCompacts: after.gc.markCompacts - before.gc.markCompacts,
  };
}

export async function interleaved(
  variants: readonly Variant[],
  /** One body for all, or each variant's own (a peer that asks the same thing in its own schema). */
  body: string | ((variant: Variant) => string),
  rounds: number,
  loadFor: (variant: Variant) => Load,
  log: (line: string) => void,
): Promise<Measurements> {
  const measured: Measurements = new Map(
    variants.map((v) => [
      v.name,
      {
        histogram: newHistogram(),
        requests: 0,
        failures: 0,
        rps: [],
        cpuMsPerRequest: [],
        eventLoopDelayP99Ms: [],
        markCompacts: [],
      },
    ]),
  );
  for (let round = 0; round < rounds; round += 1) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    for (const variant of order) {
      const { result, cpuMs, eventLoopDelayP99Ms, markCompacts } = await measureOnce(
        variant,
        typeof body === 'string' ? body : body(variant),
        loadFor(variant),
      );
      const m = measured.get(variant.name)!;
      m.histogram.add(result.histogram);
      m.requests += result.requests;
      m.failures += result.failures;
      m.rps.push((result.requests / result.wallMs) * 1000);
      m.cpuMsPerRequest.push(cpuMs / result.requests);
      m.eventLoopDelayP99Ms.push(eventLoopDelayP99Ms);
      m.markCompacts.push(markCompacts);
      log(
        `  round ${round + 1} ${variant.name}: ${result.requests} req, ${m.rps.at(-1)!.toFixed(1)} req/s, p50 ${(result.histogram.getValueAtPercentile(50) / 1000).toFixed(1)} ms, CPU ${(cpuMs / result.requests).toFixed(2)} ms/req${result.failures ? `, ${result.failures} FAILED, first: ${result.firstFailure}` : ''}`,
      );
    }
  }
  return measured;
}
