import type { Metrics } from '../../src/platform/metrics.ts';

/** The value of one labelled series of a counter (or a histogram's `_count`), 0 when absent. */
export async function metricValue(
  metrics: Metrics,
  name: string,
  labels: Record<string, string>,
  metricName: string = name,
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  // Histograms name each series (`_count`, `_sum`, `_bucket`); counters leave the name out.
  const matching = values.filter(
    (value) =>
      ('metricName' in value && typeof value.metricName === 'string' ? value.metricName : name) === metricName &&
      Object.entries(labels).every(([key, expected]) => value.labels[key] === expected),
  );
  return matching.reduce((sum, value) => sum + value.value, 0);
}
