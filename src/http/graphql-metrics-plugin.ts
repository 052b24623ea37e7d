import type { ApolloServerPlugin, BaseContext, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { OperationDefinitionNode } from 'graphql';
import type { Metrics } from '../platform/metrics.ts';
import { OTHER_OPERATION } from './operation-metric-names.ts';

type GraphqlMetrics = Pick<Metrics, 'graphqlOperations' | 'graphqlDuration'>;

/**
 * Counts and times every GraphQL operation by type, name and outcome. Only request-level hooks
 * are used (no per-field willResolveField), so the cost is two label look-ups per request.
 * Operation names are the client's choice: only those in `knownNames` (see
 * `metricOperationNames`) become label values, every other name is `other`, so the number of
 * series stays fixed whatever clients send.
 */
export function graphqlMetricsPlugin<TContext extends BaseContext = BaseContext>(
  metrics: GraphqlMetrics,
  knownNames: ReadonlySet<string> = new Set(),
): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(requestContext) {
          const operation = resolvedOperation(requestContext);
          const type = operation?.operation ?? 'unknown';
          const asked = operation?.name?.value;
          const name = asked === undefined ? 'anonymous' : knownNames.has(asked) ? asked : OTHER_OPERATION;
          const outcome = hasErrors(requestContext) ? 'error' : 'ok';
          metrics.graphqlOperations.inc({ type, name, outcome });
          metrics.graphqlDuration.observe({ type, name }, (performance.now() - started) / 1000);
        },
      };
    },
  };
}

/**
 * Apollo sets `operation` only after validation; for a document that parsed but failed
 * validation the type is still known from the document itself, which makes the error
 * counts more useful than a pile of `unknown`.
 */
function resolvedOperation(
  requestContext: GraphQLRequestContextWillSendResponse<BaseContext>,
): OperationDefinitionNode | undefined {
  if (requestContext.operation) return requestContext.operation;
  const operations = (requestContext.document?.definitions ?? []).filter(
    (definition): definition is OperationDefinitionNode => definition.kind === 'OperationDefinition',
  );
  const wanted = requestContext.request.operationName;
  if (wanted) return operations.find((operation) => operation.name?.value === wanted);
  return operations.length === 1 ? operations[0] : undefined;
}

function hasErrors(requestContext: GraphQLRequestContextWillSendResponse<BaseContext>): boolean {
  if (requestContext.errors?.length) return true;
  const body = requestContext.response.body;
  const errors = body.kind === 'single' ? body.singleResult.errors : body.initialResult.errors;
  return (errors?.length ?? 0) > 0;
}
