import { BadUserInputError } from './errors.ts';

/**
 * Every list the API pages, with its page size when the caller gives none and the most it
 * answers at once. One table, so a newcomer finds every limit here; the SDL repeats the
 * defaults (`first: Int = 50`) so clients see them, and test/platform/page-size.test.ts keeps
 * the two equal. The maxima bound what one request may make the gateway read and hold.
 */
export const PAGE_SIZES = {
  /** `Query.subjects`: each subject may fan out to four agencies, so pages stay small. */
  subjects: { default: 20, max: 100 },
  /** `Query.loopGaps`: paged in memory from breaks already computed. */
  loopGaps: { default: 50, max: 500 },
  accessLog: { default: 50, max: 200 },
  deadLetters: { default: 50, max: 200 },
  sharingRequests: { default: 50, max: 200 },
  transfers: { default: 50, max: 200 },
} as const satisfies Record<string, { default: number; max: number }>;

export type PagedList = keyof typeof PAGE_SIZES;

/**
 * The page size for `list`: its default when `first` is absent, `first` itself when it is a
 * whole number from 1 to the list's maximum, and one BAD_USER_INPUT (`argument: first`,
 * `reason: page_size`) for anything else: 0, negative, over the maximum or not whole.
 */
export function pageSize(list: PagedList, first: number | null | undefined): number {
  const { default: fallback, max } = PAGE_SIZES[list];
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new BadUserInputError(`first must be between 1 and ${max}, got ${first}`, {
      argument: 'first',
      reason: 'page_size',
    });
  }
  return first;
}
