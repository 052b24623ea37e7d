import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import type { GatewayContext } from '../../context.ts';

/**
 * A mutation runs whole or not at all: its top-level fields run one after another, so a field
 * refused during execution would come after the ones before it had already changed data. Every
 * role a mutation's fields require is therefore checked once the operation is known, before any
 * of them runs.
 */
export function mutationAllOrNothingPlugin(
  roleRequirements: ReadonlyMap<string, string>,
): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation' || !contextValue.permissions) return;
          let first: GraphQLError | null = null;
          for (const selection of operation.selectionSet.selections) {
            // Fragments at the top of a mutation are refused too: each part must be checkable here.
            if (selection.kind !== Kind.FIELD)
              throw refused('a mutation must name its fields directly, not through fragments');
            const role = roleRequirements.get(`Mutation.${selection.name.value}`);
            if (role && !contextValue.permissions.hasRole(role)) {
              // Every refused field is recorded for the access log, not only the one named.
              contextValue.permissions.denied.add(`Mutation.${selection.name.value}`);
              first ??= refused(
                `Mutation.${selection.name.value} needs the ${role} role, so nothing in this mutation ran`,
              );
            }
          }
          if (first) throw first;
        },
      };
    },
  };
}

function refused(reason: string): GraphQLError {
  return new GraphQLError(`Not allowed: ${reason}.`, {
    extensions: { code: 'FORBIDDEN', rule: 'mutation-all-or-nothing', http: { status: 403 } },
  });
}
