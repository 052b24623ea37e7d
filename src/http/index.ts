// The HTTP layer's public surface: what server.ts wires into the Express app.
export { createGraphqlIdeRouter } from './graphql-ide.ts';
export type { GraphqlIdeOptions } from './graphql-ide.ts';
export { createRequestIdMiddleware, requestIdHeader, requestIdOf, requestLogger } from './request-id.ts';
export type { RequestIdOptions } from './request-id.ts';
export { createHealthRouter, createMetricsRouter } from './health-routes.ts';
export type { CheckResult, HealthRouterOptions, ReadinessCheck } from './health-routes.ts';
export { graphqlMetricsPlugin } from './graphql-metrics-plugin.ts';
