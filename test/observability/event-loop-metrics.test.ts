import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/platform/metrics.ts';

const EVENT_LOOP_GAUGES = [
  'nodejs_eventloop_lag_seconds',
  'nodejs_eventloop_lag_min_seconds',
  'nodejs_eventloop_lag_max_seconds',
  'nodejs_eventloop_lag_mean_seconds',
  'nodejs_eventloop_lag_stddev_seconds',
  'nodejs_eventloop_lag_p50_seconds',
  'nodejs_eventloop_lag_p90_seconds',
  'nodejs_eventloop_lag_p99_seconds',
];

async function minimumLag(resolutionMs?: number): Promise<{ names: string[]; minSeconds: number }> {
  const { registry } = createMetrics(resolutionMs === undefined ? {} : { eventLoopResolutionMs: resolutionMs });
  await new Promise((resolve) => setTimeout(resolve, 400));
  const metrics = await registry.getMetricsAsJSON();
  const min = metrics.find((metric) => metric.name === 'nodejs_eventloop_lag_min_seconds');
  return { names: metrics.map((metric) => metric.name), minSeconds: Number(min?.values[0]?.value) };
}

describe('the event-loop delay gauges', () => {
  it('keep their names and sample at the resolution asked for, which every reading includes', async () => {
    const coarse = await minimumLag(100);
    expect(coarse.names).toEqual(expect.arrayContaining(EVENT_LOOP_GAUGES));
    // Node's histogram records whole intervals between samples: never less than the resolution.
    expect(coarse.minSeconds).toBeGreaterThanOrEqual(0.09);

    const shipped = await minimumLag();
    expect(shipped.names).toEqual(expect.arrayContaining(EVENT_LOOP_GAUGES));
    expect(shipped.minSeconds).toBeLessThan(0.05);
  });
});
