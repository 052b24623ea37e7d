import { InvalidCursorFailure } from './sql-failures.ts';

/**
 * A place in a table's change feed: just after the row with this update time and id. Both are
 * needed: many rows share one update time (a batch the agency wrote at once), and a cursor of
 * the time alone would skip or repeat those that straddle a page boundary.
 */
export interface KeysetPosition {
  /** The update-time column as the server printed it (`2024-01-15 10:00:00.000`), passed back verbatim. */
  updatedAt: string;
  id: string;
}

/** Marks cursors of this transport, so another source's cursor is refused, never misread. */
const PREFIX = 'sqlk1.';

/** A DATETIME/TIMESTAMP as the server prints it, or an integer (an epoch or a sequence column). */
const UPDATE_TIME = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?|\d{1,20})$/;

/** Opaque to callers: a prefix and base64url of JSON `[updatedAt, id]`. */
export function encodeKeysetCursor(position: KeysetPosition): string {
  return PREFIX + Buffer.from(JSON.stringify([position.updatedAt, position.id])).toString('base64url');
}

/** Null for the start of the feed (no cursor, or the empty one a first empty page returns). */
export function decodeKeysetCursor(cursor: string | null): KeysetPosition | null {
  if (cursor === null || cursor === '') return null;
  if (!cursor.startsWith(PREFIX)) throw new InvalidCursorFailure(cursor);
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor.slice(PREFIX.length), 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [updatedAt, id] = parsed as unknown[];
      if (typeof updatedAt === 'string' && UPDATE_TIME.test(updatedAt) && typeof id === 'string')
        return { updatedAt, id };
    }
  } catch {
    // fall through: anything undecodable is the same bad cursor
  }
  throw new InvalidCursorFailure(cursor);
}
