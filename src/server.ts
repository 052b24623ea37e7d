import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import express from 'express';
import type { ErrorRequestHandler, Express, RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import type { Connectors, ConnectorsReporting } from './connectors/index.ts';
import type { GatewayContext } from './context.ts';
import { AGENCY_SYSTEMS } from './domain/types.ts';
import { exampleQuery } from './example-query.ts';
import {
  bodyErrorHandler,
  GRAPHQL_BODY_LIMIT,
  graphqlBodyErrorHandler,
  refuseOversizedBody,
  requireJsonBody,
} from './http/body-errors.ts';
import type { RecordEarlyRefusal } from './http/early-refusals.ts';
import { refuseOverQueryLimits } from './http/limit-refusal.ts';
import { refuseDeepNesting } from './http/nesting-limit.ts';
import { refuseOverTokenLimit } from './http/token-limit.ts';
import { tokenLimitBeforeParsing } from './http/token-limit-unparsed.ts';
import { createConsoleRouter } from './http/console-routes.ts';
import { createGraphqlIdeRouter } from './http/graphql-ide.ts';
import { fromBrowser, trustedDocumentsMiddleware } from './http/trusted-documents.ts';
import { guardUnloggedAnswers } from './http/unlogged-answers.ts';
import { noStore } from './http/no-store.ts';
import { graphqlMetricsPlugin } from './http/graphql-metrics-plugin.ts';
import { createHealthRouter, createMetricsRouter } from './http/health-routes.ts';
import { createRequestIdMiddleware } from './http/request-id.ts';
import { requestWarningsPlugin } from './http/request-warnings.ts';
import { onlyGetAndPost, unknownPath } from './http/unmatched-requests.ts';
import { refuseUnacceptable } from './http/not-acceptable.ts';
import { accessLogPlugin } from './modules/audit/access-log-plugin.ts';
import { unavailableStatusPlugin } from './http/unavailable-status-plugin.ts';
import { inputHygienePlugin } from './http/input-hygiene-plugin.ts';
import { schemaVisibilityPlugin } from './http/schema-visibility-plugin.ts';
import type { Authenticator } from './http/authenticate.ts';
import type { ConsoleOidcConfig } from './auth/index.ts';
import { applyPermissions } from './modules/access/permission-layer.ts';
import { ROW_PLACES } from './modules/subjects/index.ts';
import { readSharingDeclarations } from './modules/access/sharing-declarations.ts';
import { readRoleRequirements } from './modules/access/role-requirements.ts';
import { mutationAllOrNothingPlugin } from './modules/access/mutation-all-or-nothing.ts';
import type { AccessLog } from './modules/audit/access-log.ts';
import type { AccessLogWriter } from './modules/audit/access-log-writer.ts';
import type { GrantStore } from './modules/access/grant-store.ts';
import type { ReferenceCache } from './modules/subjects/reference-cache.ts';
import type { ServedAreaSource } from './modules/access/served-area-source.ts';
import { execute, type ExecutionResult } from 'graphql';
import { CompiledOperations, type OperationToExecute } from './platform/compiled-execution.ts';
import { executionGateway } from './platform/execution-gateway.ts';
import { createErrorMasker } from './platform/mask-errors.ts';
import { knownOperationTypes } from './platform/known-operation-types.ts';
import { queryLimitRules, type QueryLimits } from './platform/query-limits.ts';
import type { Metrics } from './platform/metrics.ts';
import { createContextFactory, letGoOfLoaders, answersReleasedWithRequest } from './request-context.ts';
import { releasedOnceAnswered } from './request-parts.ts';
import { buildSchema } from './schema.ts';
import { stringifyResult } from './http/early-serialized-answers.ts';
import type { SubjectRegistry } from './modules/registry/subject-registry.ts';
import type { GatewayModule } from './platform/gateway-module.ts';

export interface ServerDependencies {
  /** The modules switched on: their SDL and resolvers make the schema, their context each request's, their health readiness. */
  modules: readonly GatewayModule<GatewayContext>[];
  /** Shared by every request; each request's loaders use them `reportingTo` its own warnings. */
  connectors: Connectors & ConnectorsReporting;
  registry: SubjectRegistry;
  /** Reference data (power list, authorities), cached once per gateway and shared with its services. */
  reference: ReferenceCache;
  /** Where the gateway serves, which every request's owner standing is judged against. */
  servedArea: ServedAreaSource;
  pingStore: () => Promise<void>;
  metrics: Metrics;
  logger: Logger;
  queryLimits: QueryLimits;
  introspection: boolean;
  /** Refuses callers over their request rate (429) before any work is done for them. */
  limitRate: RequestHandler;
  /** Needed so Apollo can drain in-flight requests on shutdown. */
  httpServer: Server;
  /** Reverse proxies whose X-Forwarded-For gives `req.ip` (TRUST_PROXY); absent or empty: the socket's address. */
  trustedProxies?: readonly string[];
  /**
   * The operator's endpoints have a port of their own (MANAGEMENT_PORT): /metrics leaves the
   * callers' port; /healthz and /readyz stay on it too, for a load balancer that probes it.
   */
  operatorPortApart?: boolean;
  /** True once shutdown has begun: /readyz answers 503 at once. */
  stopping?: () => boolean;
  /** The console's canonical operations; when set, browsers may send nothing else (TRUSTED_DOCUMENTS=console). */
  trustedDocuments?: ReadonlySet<string> | undefined;
  /** Operation names the GraphQL metrics label by name; any other is counted as `other`. */
  metricOperationNames?: ReadonlySet<string>;
  /** The query the IDE opens with; the demo world's example when absent. */
  exampleQuery?: string;
  /** False only for the benchmark's naive variant (LOADER_BATCHING=off): one upstream request per record. */
  loaderBatching?: boolean;
  /**
   * graphql-js executions of a query before graphql-jit compiles it (GRAPHQL_JIT_AFTER); null:
   * graphql-js executes everything. Absent: 1, a query is compiled the second time it comes.
   */
  jitAfter?: number | null;
  /**
   * Identity, sharing rules and the access log. Absent while AUTH_REQUIRED is off: then every
   * caller is anonymous and sees every field (the data plane as it was before issue 3).
   */
  access?: {
    authenticator: Authenticator;
    grants: GrantStore;
    accessLog: AccessLogWriter;
    /** Puts a request refused before GraphQL (its body) in the access log before it is answered. */
    recordEarlyRefusal: RecordEarlyRefusal;
    /** Read side of the access log, for auditors. */
    accessLogReader: AccessLog;
    /** Signs the headers pre-filled in the IDE's editor, afresh for each page load (a demo token; never in production). */
    ideHeaders?: () => Promise<Record<string, string>>;
    /** In the demo anyone may introspect the schema; otherwise only administrators. */
    schemaOpenToAll: boolean;
    /** Signs a demo preset's token for the console's sign-in (only while the demo issuer is trusted). */
    demoToken?: (preset: string) => Promise<string>;
    /** The console's OpenID Connect sign-in, told to the page by /console/session-options. */
    consoleOidc?: ConsoleOidcConfig | undefined;
  };
}

/**
 * Builds the HTTP application from its dependencies. Nothing here opens a port or a database;
 * `startGateway` does that, so tests can assemble a gateway from parts.
 */
export async function createServer(
  deps: ServerDependencies,
): Promise<{ app: Express; apollo: ApolloServer<GatewayContext>; operatorRouters: Router[] }> {
  const { connectors, registry, reference, servedArea, metrics, logger } = deps;
  const { access } = deps;
  const schema = access ? applyPermissions(buildSchema(deps.modules), ROW_PLACES) : buildSchema(deps.modules);
  const createContext = createContextFactory({
    connectors,
    registry,
    reference,
    servedArea,
    declarations: readSharingDeclarations(schema).declarations,
    modules: deps.modules,
    access,
    loaderBatching: deps.loaderBatching,
  });

  const jitAfter = deps.jitAfter === undefined ? 1 : deps.jitAfter;
  const apollo = new ApolloServer<GatewayContext>({
    // Always through the executor, so that the operation's span wraps whichever engine runs it.
    gateway: executionGateway(schema, executorFor(jitAfter, metrics)),
    formatError: createErrorMasker(logger),
    // An answer that waited for its access-log entry was serialised before the wait (access-log-plugin.ts).
    stringifyResult,
    includeStacktraceInErrorResponses: false,
    // The process's shutdown drains HTTP first (src/exit-on-signals.ts); Apollo's own signal handler would cut keep-alive connections and re-raise the signal (exit 143).
    stopOnTerminationSignals: false,
    introspection: deps.introspection,
    // Apollo keeps automatic persisted queries on by default: a document sent once could then be run
    // by its hash alone, past every check that reads the body's query (trusted documents) and
    // logged with the hash of an empty one. Every request carries its whole document.
    persistedQueries: false,
    validationRules: [...queryLimitRules(deps.queryLimits), knownOperationTypes],
    parseOptions: { maxTokens: deps.queryLimits.maxTokens },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: deps.httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      // The gateway sets no cache hints; the plugin would still run a hook on every field.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      graphqlMetricsPlugin(metrics, deps.metricOperationNames),
      requestWarningsPlugin(),
      unavailableStatusPlugin(),
      inputHygienePlugin(),
      answersReleasedWithRequest(),
      ...(access
        ? [
            accessLogPlugin(access.accessLog, logger),
            mutationAllOrNothingPlugin(readRoleRequirements(schema)),
            schemaVisibilityPlugin({ openToAll: access.schemaOpenToAll }),
          ]
        : []),
    ],
  });
  await apollo.start();

  const tokenLimit = {
    maxTokens: deps.queryLimits.maxTokens,
    metrics,
    access: access && { record: access.recordEarlyRefusal, callerOf: access.authenticator.principalOf },
  };
  // A large body's document over the token limit is refused from its bytes, before it is parsed.
  const unparsedTokenLimit = tokenLimitBeforeParsing({
    ...tokenLimit,
    skip: deps.trustedDocuments ? fromBrowser : undefined,
  });
  const graphql: (RequestHandler | ErrorRequestHandler)[] = [
    noStore,
    // First: any answer below that leaves without its access-log entry is held until it has one.
    ...(access
      ? [
          guardUnloggedAnswers({
            writer: access.accessLog,
            logger,
            callerOf: access.authenticator.verifiedCallerOf,
          }),
          access.authenticator.middleware,
        ]
      : []),
    deps.limitRate,
    onlyGetAndPost(access?.recordEarlyRefusal),
    refuseUnacceptable(access?.recordEarlyRefusal),
    refuseOversizedBody(access?.recordEarlyRefusal),
    express.json({ limit: GRAPHQL_BODY_LIMIT, verify: unparsedTokenLimit.verify }),
    unparsedTokenLimit.refuse,
    requireJsonBody(access?.recordEarlyRefusal),
    refuseDeepNesting(access?.recordEarlyRefusal),
    ...(deps.trustedDocuments ? [trustedDocumentsMiddleware(deps.trustedDocuments)] : []),
    refuseOverTokenLimit(tokenLimit),
    refuseOverQueryLimits({
      schema,
      limits: deps.queryLimits,
      metrics,
      knownNames: deps.metricOperationNames,
      access: access && { record: access.recordEarlyRefusal, callerOf: access.authenticator.principalOf },
    }),
    releasedOnceAnswered(
      expressMiddleware(apollo, {
        context: ({ req }) => createContext(req),
      }),
    ),
  ];
  // The JSON parser's refusals (413, bad JSON, not UTF-8) are recorded here, on /graphql only.
  const graphqlRefusals = access ? [graphqlBodyErrorHandler(access.recordEarlyRefusal)] : [];

  const app = express();
  app.disable('x-powered-by');
  // Before any route or sub-app: the console's app (`pages`) takes it over when mounted. Every
  // client address (rate limits, the access log) is read through `req.ip`.
  if (deps.trustedProxies?.length) app.set('trust proxy', [...deps.trustedProxies]);
  // No ETag (a sha1 of the body) on API answers: a POST's answer is never revalidated, and a
  // GraphQL answer over GET is computed in full before a 304 could be chosen. Pages and files keep
  // theirs (the `pages` app below).
  app.set('etag', false);
  app.use(createRequestIdMiddleware({ logger }));
  // Nearly every request is a POST to /graphql, and no route below answers one: it goes first,
  // past none of the routers it would otherwise be matched against one by one.
  app.post('/graphql', ...graphql, ...graphqlRefusals);
  const health = createHealthRouter({
    checks: { store: deps.pingStore, ...moduleHealthChecks(deps.modules) },
    degradingChecks: Object.fromEntries(AGENCY_SYSTEMS.map((system) => [system, () => connectors[system].ping()])),
    stopping: deps.stopping,
  });
  const metricsRoute = createMetricsRouter(metrics.registry);
  app.use(health);
  if (!deps.operatorPortApart) app.use(metricsRoute);
  for (const module of deps.modules) if (module.routes) app.use(module.routes);
  // The console and the IDE in an app of their own with Express's default ETags, so a browser
  // revalidates their pages and files (the console's index.html is no-cache) with a 304.
  const pages = express();
  pages.disable('x-powered-by');
  pages.use(
    createConsoleRouter({
      demoToken: access?.demoToken,
      authRequired: access !== undefined,
      oidc: access?.consoleOidc,
    }),
  );
  pages.use(
    createGraphqlIdeRouter({
      endpointPath: '/graphql',
      exampleQuery: deps.exampleQuery ?? exampleQuery,
      title: '审管执信 GraphQL gateway',
      defaultHeaders: access?.ideHeaders,
    }),
  );
  // Express's router would answer an OPTIONS of /graphql from the IDE's GET route (200, Allow: GET,
  // HEAD) before the access-log guard saw it: it goes down the GraphQL chain like every other method.
  app.options('/graphql', ...graphql, ...graphqlRefusals);
  app.use(pages);
  // GET (after the IDE, which answers browsers asking for a page) and any other method.
  app.use('/graphql', ...graphql, ...graphqlRefusals);
  app.use(unknownPath());
  app.use(bodyErrorHandler());
  return { app, apollo, operatorRouters: [health, metricsRoute] };
}

/** graphql-jit for queries that come again, or graphql-js alone when jit is off (GRAPHQL_JIT_AFTER=off). */
function executorFor(
  jitAfter: number | null,
  metrics: Metrics,
): (operation: OperationToExecute) => Promise<ExecutionResult> {
  const compiled = jitAfter === null ? null : compiledOperations(jitAfter, metrics);
  return async (operation) => {
    try {
      if (compiled) return await compiled.execute(operation);
      const { schema, document, contextValue, variableValues, operationName } = operation;
      return await execute({ schema, document, contextValue, variableValues, operationName });
    } finally {
      // The answer may still wait for its access-log commit; no agency is read after execution.
      letGoOfLoaders(operation.contextValue);
    }
  };
}

/** graphql-jit for queries that come again (src/platform/compiled-execution.ts), counted in the metrics. */
function compiledOperations(compileAfter: number, metrics: Metrics): CompiledOperations {
  const compiled = metrics.graphqlCompilations.labels('compiled');
  const refused = metrics.graphqlCompilations.labels('refused');
  const jit = metrics.graphqlExecutions.labels('jit');
  const interpreted = metrics.graphqlExecutions.labels('graphql-js');
  return new CompiledOperations({
    compileAfter,
    // Far more than the distinct operations the console and its integrations send; each holds generated functions.
    maxCompiled: 500,
    observer: {
      compiled: (ok) => (ok ? compiled : refused).inc(),
      executed: (engine) => (engine === 'jit' ? jit : interpreted).inc(),
    },
  });
}

/** One readiness check per module that has one, named as operators' probes know it. */
function moduleHealthChecks(modules: readonly GatewayModule<GatewayContext>[]) {
  return Object.fromEntries(
    modules.flatMap((module) => (module.health ? [[module.healthName ?? module.name, module.health]] : [])),
  );
}
