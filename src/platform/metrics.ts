import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** prom-client's own default: the event-loop monitor samples every 10 ms. */
export const DEFAULT_EVENT_LOOP_RESOLUTION_MS = 10;

/**
 * The gateway's Prometheus metrics. One registry per server instance (never the global one),
 * so several gateways in one test process count separately.
 *
 * `eventLoopResolutionMs`: how often the `nodejs_eventloop_lag_*` monitor samples. Its timer
 * wakes an idle gateway that often (at 10 ms, about 4 ms of CPU a second on the benchmark
 * machine: bench/notes/idle.md), and every value it reports is this interval plus the delay.
 */
export function createMetrics(options: { eventLoopResolutionMs?: number } = {}) {
  const registry = new Registry();
  collectDefaultMetrics({
    register: registry,
    eventLoopMonitoringPrecision: options.eventLoopResolutionMs ?? DEFAULT_EVENT_LOOP_RESOLUTION_MS,
  });
  return {
    registry,
    upstreamRequests: new Counter({
      name: 'gateway_upstream_requests_total',
      help: 'Requests sent to agency systems, by system, operation and outcome (ok, error, timeout, rejected).',
      labelNames: ['system', 'operation', 'outcome'] as const,
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: 'gateway_upstream_request_duration_seconds',
      help: 'Latency of requests to agency systems, including retries.',
      labelNames: ['system', 'operation'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    upstreamBatchKeys: new Histogram({
      name: 'gateway_upstream_batch_keys',
      help: 'Keys sent in one batch request to an agency system.',
      labelNames: ['system', 'operation'] as const,
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers: [registry],
    }),
    upstreamBadRecords: new Counter({
      name: 'gateway_upstream_bad_records_total',
      help: 'Upstream records dropped because a field could not be mapped (for example an unknown status code).',
      labelNames: ['system', 'resource'] as const,
      registers: [registry],
    }),
    graphqlOperations: new Counter({
      name: 'gateway_graphql_operations_total',
      help: 'GraphQL operations executed, by operation type, name and outcome (ok, error).',
      labelNames: ['type', 'name', 'outcome'] as const,
      registers: [registry],
    }),
    graphqlCompilations: new Counter({
      name: 'gateway_graphql_compilations_total',
      help: 'Operations graphql-jit was asked to compile, by outcome (compiled, refused: graphql-js runs them).',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    graphqlExecutions: new Counter({
      name: 'gateway_graphql_executions_total',
      help: 'GraphQL operations executed, by engine: jit (a compiled query) or graphql-js.',
      labelNames: ['engine'] as const,
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'gateway_graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL request to sending its response.',
      labelNames: ['type', 'name'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
