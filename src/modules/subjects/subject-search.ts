import { pageSize } from '../../platform/page-size.ts';
import { bounded } from './argument-limits.ts';
import type { SubjectFilter } from '../../generated/graphql.ts';
import type { SubjectPage, SubjectRegistry } from '../registry/index.ts';

/** `Query.subjects`: the registry's keyset search, with the caller's paging checked first. */
export async function searchSubjects(
  registry: SubjectRegistry,
  filter: SubjectFilter | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
  options: { count: boolean } = { count: true },
) {
  const size = pageSize('subjects', first);
  // A bad cursor is refused by the registry itself (InvalidCursorError, a BAD_USER_INPUT).
  const page: SubjectPage = await registry.search(
    {
      nameContains: optional('filter.nameContains', filter?.nameContains, 50),
      townshipCode: optional('filter.townshipCode', filter?.townshipCode, 12),
      countyCode: optional('filter.countyCode', filter?.countyCode, 12),
      hasLegacyRegNo: filter?.hasLegacyRegNo ?? undefined,
      usccValid: filter?.usccValid ?? undefined,
    },
    { first: size, after: optional('after', after, 200) },
    options,
  );
  return {
    // Zero only when not counted, and then the query did not select it, so it is never sent.
    totalCount: page.totalCount ?? 0,
    nodes: page.items,
    pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
  };
}

function optional(argument: string, value: string | null | undefined, max: number): string | undefined {
  return value === null || value === undefined ? undefined : bounded(argument, value, max);
}
