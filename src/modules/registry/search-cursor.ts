/** A keyset cursor that was not made by this gateway, or was tampered with. */
export class InvalidCursorError extends Error {
  constructor(cursor: string) {
    super(`not a valid cursor: ${JSON.stringify(cursor)}`);
    this.name = 'InvalidCursorError';
  }
}

const PREFIX = 'subject:';

/**
 * Cursors are opaque to callers so the paging key (today the USCC) can change without breaking
 * them; base64url keeps them safe in URLs.
 */
export function encodeSubjectCursor(uscc: string): string {
  return Buffer.from(`${PREFIX}${uscc}`, 'utf8').toString('base64url');
}

export function decodeSubjectCursor(cursor: string): string {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (
    !decoded.startsWith(PREFIX) ||
    decoded.length === PREFIX.length ||
    encodeSubjectCursor(decoded.slice(PREFIX.length)) !== cursor
  ) {
    throw new InvalidCursorError(cursor);
  }
  return decoded.slice(PREFIX.length);
}
