/**
 * The longest text the log keeps of one value, in code points. Caller-chosen strings (operation
 * names, identifiers) are cut here so no input can make an entry too big to index or store: a
 * GIN or btree entry over about 2 kB fails to insert, and a failing insert withholds every answer.
 */
export const MAX_STORED_TEXT = 500;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A string as PostgreSQL stores it and gives it back, so the hash covers exactly the stored
 * text: well-formed Unicode (a lone surrogate, which UTF-8 cannot encode, becomes U+FFFD, as
 * `String.prototype.toWellFormed` does), no NUL (text cannot hold it; U+FFFD instead), and at
 * most MAX_STORED_TEXT code points (a longer one ends in `…`).
 */
export function storableText(text: string): string {
  const wellFormed = text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
  if (wellFormed.length <= MAX_STORED_TEXT) return wellFormed;
  const codePoints = Array.from(wellFormed);
  return codePoints.length <= MAX_STORED_TEXT ? wellFormed : `${codePoints.slice(0, MAX_STORED_TEXT - 1).join('')}…`;
}

/**
 * Any value of an entry as it will be stored, at every depth (arrays, JSON objects): strings by
 * `storableText`, instants to the whole millisecond (timestamptz(3)). Generic, so a column a
 * later change adds is made storable without a change here.
 */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value instanceof Date) return new Date(Math.trunc(value.getTime())) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storableValue(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [storableText(key), storableValue(inner)]),
    ) as T;
  }
  return value;
}
