/** Figures from histograms and probe readings. */
import type { Histogram } from './load.ts';

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  count: number;
}

/** Milliseconds. */
export function latencyOf(h: Histogram): Latency {
  const ms = (us: number) => us / 1000;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
    count: h.totalCount,
  };
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : '–');
export const ratio = (n: number, base: number, digits = 2): string =>
  Number.isFinite(n / base) ? `${(n / base).toFixed(digits)}×` : '–';
/**
 * A ratio beside the target's `limit`, with a third decimal when two would round it onto the limit
 * (0.5987 shown as 0.60× beside "≥ 0.6×" and "not met" reads as a mistake).
 */
export const ratioNear = (n: number, base: number, limit: number): string =>
  ratio(n, base, (n / base).toFixed(2) === limit.toFixed(2) && n / base !== limit ? 3 : 2);
export const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
