import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import type { CompiledOperations } from './compiled-execution.ts';

type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/**
 * Apollo Server's one hook for executing a validated document itself is the `gateway` option:
 * `load()` hands back an executor that Apollo calls in place of graphql-js's `execute`, after
 * parsing, validation, the document store and every plugin's `didResolveOperation`, and before
 * its own error formatting. This "gateway" serves one fixed schema, which never changes.
 */
export function executionGateway(schema: GraphQLSchema, operations: CompiledOperations): GatewayInterface {
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: (request) =>
          operations.execute({
            schema,
            document: request.document,
            operation: request.operation ?? undefined,
            operationName: request.request.operationName,
            variableValues: request.request.variables,
            contextValue: request.context,
          }),
      };
    },
    async stop() {},
  };
}
