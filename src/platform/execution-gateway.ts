import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { OperationToExecute } from './compiled-execution.ts';
import { inOperationSpan } from './operation-span.ts';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * Apollo Server's one hook for executing a validated document itself is the `gateway` option:
 * `load()` hands back an executor that Apollo calls in place of graphql-js's `execute`, after
 * parsing, validation, the document store and every plugin's `didResolveOperation`, and before
 * its own error formatting. This "gateway" serves one fixed schema, which never changes.
 * Each execution runs inside its operation's span when the request is traced (operation-span.ts),
 * whichever engine `execute` picks.
 */
export function executionGateway(
  schema: GraphQLSchema,
  execute: (operation: OperationToExecute) => Promise<ExecutionResult>,
): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: (request) =>
          inOperationSpan(request.document, request.operation ?? undefined, () =>
            execute({
              schema,
              document: request.document,
              operation: request.operation ?? undefined,
              operationName: request.request.operationName,
              variableValues: request.request.variables,
              contextValue: request.context,
            }),
          ),
      };
    },
    async stop() {},
  };
}
