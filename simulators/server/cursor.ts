import { badRequest } from './sim-error.ts';

/** A place in a change feed: after the record with this update time and id. */
export interface FeedPosition {
  updatedAt: number;
  id: string;
}

export const FEED_START: FeedPosition = { updatedAt: -Infinity, id: '' };

/** Opaque to clients: base64url of JSON `[updatedAtMs, id]`. */
export function encodeCursor(position: FeedPosition): string {
  return Buffer.from(JSON.stringify([position.updatedAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | null): FeedPosition {
  if (cursor === null || cursor === '') return FEED_START;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [updatedAt, id] = parsed as unknown[];
      if (typeof updatedAt === 'number' && Number.isFinite(updatedAt) && typeof id === 'string')
        return { updatedAt, id };
      if (updatedAt === null && id === '') return FEED_START;
    }
  } catch {
    // fall through: anything undecodable is the same bad cursor
  }
  throw badRequest(`invalid cursor '${cursor}': pass back the cursor a previous page returned`);
}
