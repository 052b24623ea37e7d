import { register } from 'node:module';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { createAddHookMessageChannel } from 'import-in-the-middle';

/** Requests that are not work for a caller: probes and scrapes would only drown the traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * Starts the OpenTelemetry Node SDK for traces only (metrics stay with Prometheus on /metrics, logs
 * with pino): exporter, protocol, endpoint, headers, sampler, batch settings and resource all
 * come from the standard `OTEL_*` variables, read by the SDK itself.
 *
 * Official instrumentations, each where it fits:
 * - http: the server span of each request, continuing a caller's `traceparent`;
 * - graphql: parse and validate only. The operation's span (`query Lifecycle`) is the gateway's
 *   own (operation-span.ts), emitted around graphql-js and graphql-jit alike: the
 *   instrumentation's comes from its patch of graphql-js's `execute`, which a compiled query
 *   never calls (jit would have to be off while tracing). Per-field resolver spans are off too,
 *   they would cost more than the rest together on a large answer;
 * - undici: one client span per upstream HTTP attempt (undici's `request`, through the diagnostics
 *   channels that npm's undici and Node's bundled one both publish on), which also sends the W3C
 *   `traceparent` header to the agency;
 * - pg: one span per store query on PostgreSQL (the embedded PGlite store is traced by
 *   `traced-driver-adapter.ts`, as pg is not involved there).
 * Client and store spans need a parent, so background syncs do not each start a trace.
 *
 * Must run before the gateway's modules are imported: graphql and pg are patched as they load,
 * through import-in-the-middle's loader hook (the app is ES modules), registered here for just
 * the modules these instrumentations ask for.
 */
/** OpenTelemetry's graphql instrumentation without its patch of graphql-js's `execute`, whose span the gateway emits itself. */
class GraphQLParseAndValidateInstrumentation extends GraphQLInstrumentation {
  protected override init(): ReturnType<GraphQLInstrumentation['init']> {
    const definition = super.init();
    definition.files = definition.files.filter((file) => file.name !== 'graphql/execution/execute.js');
    return definition;
  }
}

export async function startTracingSdk(): Promise<NodeSDK> {
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);
  // Traces only, unless the operator asks for more by name.
  process.env['OTEL_METRICS_EXPORTER'] ??= 'none';
  process.env['OTEL_LOGS_EXPORTER'] ??= 'none';
  const sdk = new NodeSDK({
    serviceName: process.env['OTEL_SERVICE_NAME'] ?? 'shenguanzhixin-gateway',
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
        // Outgoing calls go through undici, traced below; node:http clients are only the tests'.
        requireParentforOutgoingSpans: true,
      }),
      new GraphQLParseAndValidateInstrumentation({ ignoreResolveSpans: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  return sdk;
}
