import { badRequest } from './sim-error.ts';

/** Listing pages hold at most this many records; change-feed pages at most FEED_LIMIT_MAX. */
export const PAGE_SIZE_MAX = 500;
export const FEED_LIMIT_MAX = 1000;
export const DEFAULT_PAGE_SIZE = 100;

/** An optional integer parameter within [min, max]; absent or empty means the default. */
export function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`${name} must be an integer between ${min} and ${max}, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max)
    throw badRequest(`${name} must be an integer between ${min} and ${max}, got ${value}`);
  return value;
}

export function feedParams(
  query: URLSearchParams,
  cursorName: string,
  limitName: string,
): { cursor: string | null; limit: number } {
  return {
    cursor: query.get(cursorName),
    limit: intParam(query, limitName, DEFAULT_PAGE_SIZE, 1, FEED_LIMIT_MAX),
  };
}
