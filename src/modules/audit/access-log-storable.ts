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
  // Nearly every text is already storable: checking costs far less than the two replacements.
  const wellFormed =
    isWellFormed(text) && !text.includes('\u0000')
      ? text
      : text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
  if (wellFormed.length <= MAX_STORED_TEXT) return wellFormed;
  const codePoints = Array.from(wellFormed);
  return codePoints.length <= MAX_STORED_TEXT ? wellFormed : `${codePoints.slice(0, MAX_STORED_TEXT - 1).join('')}…`;
}

/** `String.prototype.isWellFormed` (Node 20; newer than the ES2023 library this project types against). */
function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
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
  if (value !== null && typeof value === 'object') return storableObject(value as Record<string, unknown>) as T;
  return value;
}

/** As `Object.fromEntries` of the storable entries would build it, without the entries. */
function storableObject(object: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const storable: Record<string, unknown> = {};
  for (const key of Object.keys(object)) {
    const storableKey = storableText(key);
    const inner = storableValue(object[key]);
    // Assigning `__proto__` would set the prototype; as an entry it is a key like any other.
    if (storableKey === '__proto__')
      Object.defineProperty(storable, storableKey, {
        value: inner,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else storable[storableKey] = inner;
  }
  return storable;
}
