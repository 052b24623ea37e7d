import type { AgencySystem } from '../../domain/types.ts';
import type { Metrics } from '../../platform/metrics.ts';
import type { DroppedRecordListener } from '../mapping/map-records.ts';
import type { ConnectorLogger } from './logger.ts';

/** How to reach one agency system and how patiently. */
export interface ResilientHttpOptions {
  system: AgencySystem;
  /** Origin of the system, e.g. `http://approval.internal:8080`; the API paths are appended. */
  baseUrl: string;
  /** Per attempt; the request is aborted when it passes. Default 2000. */
  timeoutMs?: number;
  /** Further attempts after the first, for idempotent reads only. Default 2. */
  retries?: number;
  /** Bound on the whole call, retries and queueing included. Default: every attempt timing out plus every backoff. */
  deadlineMs?: number;
  /** Exponential backoff between retries. Default 100 ms, doubling, at most 1000 ms. */
  backoff?: { initialDelayMs: number; maxDelayMs: number };
  /** Requests in flight at once to this system. Default 16. */
  maxConcurrent?: number;
  /** Calls waiting for a slot before new ones are refused. Default 256. */
  maxQueued?: number;
  /** Open after `threshold` consecutive failures; try again after `halfOpenAfterMs`. Default 5 and 5000. */
  breaker?: { threshold: number; halfOpenAfterMs: number };
  /** Sent with every request (an API key, say); never logged. */
  headers?: Record<string, string>;
  metrics: Metrics;
  logger?: ConnectorLogger;
  /** Told of every upstream record the connector drops because it cannot be mapped. */
  onDroppedRecord?: DroppedRecordListener;
}

export type ResolvedHttpOptions = Required<Omit<ResilientHttpOptions, 'logger' | 'onDroppedRecord' | 'headers'>> & {
  logger?: ConnectorLogger;
  headers?: Record<string, string>;
};

/** Fills in the defaults; the deadline default leaves room for every attempt and every backoff. */
export function resolveHttpOptions(options: ResilientHttpOptions): ResolvedHttpOptions {
  const timeoutMs = options.timeoutMs ?? 2000;
  const retries = options.retries ?? 2;
  const backoff = options.backoff ?? { initialDelayMs: 100, maxDelayMs: 1000 };
  return {
    ...options,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    timeoutMs,
    retries,
    backoff,
    deadlineMs: options.deadlineMs ?? timeoutMs * (retries + 1) + backoff.maxDelayMs * retries,
    maxConcurrent: options.maxConcurrent ?? 16,
    maxQueued: options.maxQueued ?? 256,
    breaker: options.breaker ?? { threshold: 5, halfOpenAfterMs: 5000 },
  };
}
