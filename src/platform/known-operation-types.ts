import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an operation whose type the schema has no root type for (a subscription: this gateway
 * has none) while the document is validated, as graphql-js 17's KnownOperationTypesRule does.
 * graphql-js 16 leaves it to execution, whose uncoded error would be masked as a fault of the
 * gateway (INTERNAL_SERVER_ERROR) instead of a document that does not fit the schema.
 */
export const knownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (context.getSchema().getRootType(operation.operation)) return;
    context.reportError(
      new GraphQLError(`This gateway answers no ${operation.operation} operations.`, { nodes: operation }),
    );
  },
});
