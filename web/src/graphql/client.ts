import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';

/**
 * One client per sign-in. Records are normalised by their own numbers, so a permit seen on the
 * lifecycle page and again in the permit check is one cache entry. errorPolicy 'all': a refused or
 * unreachable field comes back as an error beside the rest, and the page shows it in place.
 */
export function createClient(headers: () => Record<string, string>): ApolloClient<unknown> {
  const withHeaders = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers: previous = {} }: { headers?: Record<string, string> }) => ({
      headers: { ...previous, ...headers() },
    }));
    return forward(operation);
  });
  return new ApolloClient({
    link: withHeaders.concat(new HttpLink({ uri: '/graphql' })),
    cache: new InMemoryCache({
      typePolicies: {
        Subject: { keyFields: ['uscc'] },
        Permit: { keyFields: ['permitNo'] },
        Case: { keyFields: ['caseNo'] },
        Penalty: { keyFields: ['decisionNo'] },
        // Reference records are asked for with and without their codes; they stay embedded in their parents.
        // Gaps and assessment rows are computed answers, not records: keep them with their query.
        LoopGap: { keyFields: false },
        AuthorityPerformance: { keyFields: false },
      },
    }),
    devtools: { enabled: false },
    defaultOptions: {
      watchQuery: { errorPolicy: 'all', fetchPolicy: 'cache-and-network' },
      query: { errorPolicy: 'all' },
      mutate: { errorPolicy: 'none' },
    },
  });
}
