/** A page of a list, numbered from 1; the agencies serve at most 500 records a page. */
export interface PageRequest {
  page: number;
  pageSize: number;
}

export const MAX_PAGE_SIZE = 500;
