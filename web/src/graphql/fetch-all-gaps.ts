import type { ApolloClient } from '@apollo/client';
import { LoopGapsDocument } from '../gql/graphql.ts';
import type { LoopGapFilter, LoopGapsQuery } from '../gql/graphql.ts';

export type Gap = LoopGapsQuery['loopGaps']['gaps'][number];

/** Every break matching the filter, 500 a page (the most the gateway gives at once), for charts and export. */
export async function fetchAllGaps(client: ApolloClient<unknown>, filter: LoopGapFilter): Promise<Gap[]> {
  const gaps: Gap[] = [];
  let after: string | null | undefined;
  for (;;) {
    const { data } = await client.query({
      query: LoopGapsDocument,
      variables: { filter, first: 500, after },
      fetchPolicy: 'network-only',
      errorPolicy: 'none',
    });
    gaps.push(...data.loopGaps.gaps);
    if (!data.loopGaps.pageInfo.hasNextPage) return gaps;
    after = data.loopGaps.pageInfo.endCursor;
  }
}
