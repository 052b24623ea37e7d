import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import type { GatewayContext } from '../context.ts';

/** graphql-js's hint at the end of a message, as Apollo's own plugin removes it from validation errors. */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/**
 * Outside the demo, only administrators may read the schema: introspection (`__schema`,
 * `__type`) is refused to everyone else, and errors lose their "Did you mean …?" hints, which
 * would otherwise let a caller map the schema field by field: validation errors (Apollo's
 * plugin) and every other error of the answer, such as a variable naming an input field or an
 * enum value that does not exist. `__typename` stays open — clients need it and it reveals
 * nothing beyond what was asked for.
 */
export function schemaVisibilityPlugin({ openToAll }: { openToAll: boolean }): ApolloServerPlugin<GatewayContext> {
  const hideSuggestions = ApolloServerPluginDisableSuggestions();
  return {
    async requestDidStart(requestContext) {
      if (openToAll || requestContext.contextValue.permissions?.hasRole('ADMIN') !== false) return;
      const hiding = await hideSuggestions.requestDidStart!(requestContext);
      return {
        ...hiding,
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const result = response.body.singleResult;
          result.errors = result.errors!.map((error) =>
            SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error,
          );
        },
        async didResolveOperation({ document }) {
          if (asksForSchema(document)) {
            throw new GraphQLError('Not allowed: schema introspection is for administrators.', {
              extensions: { code: 'FORBIDDEN', rule: 'introspection', http: { status: 403 } },
            });
          }
        },
      };
    },
  };
}

function asksForSchema(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}
