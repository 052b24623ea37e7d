import { BadUserInputError } from './errors.ts';
import { CONTROL_CHARACTER, LONE_SURROGATE } from './unstorable-text.ts';

/**
 * The one way the gateway writes and reads paging cursors. A cursor is base64url of the JSON
 * array `[kind, version, ...position]`: opaque to callers (so the paging key can change without
 * breaking them) and safe in URLs. The kind names the list that issued it, so a cursor of one
 * list is refused by another instead of being misread; the version lets a list change its key
 * and refuse its old cursors. Decoding is strict: anything this codec would not have written
 * byte for byte (a foreign, edited or re-padded cursor) is refused.
 */

/** A cursor that was not made by this list of this gateway, or was tampered with. */
export class InvalidCursorError extends BadUserInputError {
  constructor(cursor: string) {
    super(`after is not a cursor this list returned: ${JSON.stringify(shortened(cursor))}`, {
      argument: 'after',
      reason: 'invalid_cursor',
    });
    this.name = 'InvalidCursorError';
  }
}

/** One part of a position: what JSON carries exactly. */
export type CursorPart = string | number;

export interface CursorCodec<P> {
  encode(position: P): string;
  /** The position a cursor of this list names; throws InvalidCursorError for anything else. */
  decode(cursor: string): P;
}

export interface CursorLayout<P> {
  /** The list issuing the cursors, e.g. `subjects`; no two lists share one. */
  kind: string;
  /** Raised when the position's layout changes, so old cursors are refused, never misread. */
  version: number;
  toParts(position: P): readonly CursorPart[];
  /** The position, or null when the parts cannot be one. */
  fromParts(parts: readonly unknown[]): P | null;
}

/** Longer than any cursor a list returns: refused before it is decoded. */
const MAX_CURSOR_LENGTH = 1_024;

export function cursorCodec<P>(layout: CursorLayout<P>): CursorCodec<P> {
  const encode = (position: P): string =>
    Buffer.from(JSON.stringify([layout.kind, layout.version, ...layout.toParts(position)]), 'utf8').toString(
      'base64url',
    );
  const decode = (cursor: string): P => {
    const position = cursor.length <= MAX_CURSOR_LENGTH ? read(layout, cursor) : null;
    // The round trip refuses every other spelling of the same position (padding, spaces, key order).
    if (position === null || encode(position) !== cursor) throw new InvalidCursorError(cursor);
    return position;
  };
  return { encode, decode };
}

function read<P>(layout: CursorLayout<P>, cursor: string): P | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed[0] !== layout.kind || parsed[1] !== layout.version) return null;
  const parts = parsed.slice(2);
  return parts.every(storable) ? layout.fromParts(parts) : null;
}

/**
 * C0 controls but tab, LF and CR, and lone surrogates: what the input-hygiene plugin refuses in
 * string arguments. A cursor is base64url the caller can write, so its decoded parts bypass that
 * plugin; a position holding one was never written by a list (stored text cannot hold a NUL, and
 * a lone surrogate is stored as U+FFFD), and a NUL would reach the store and fail there as a 500.
 */
function storable(part: unknown): boolean {
  return typeof part !== 'string' || !(CONTROL_CHARACTER.test(part) || LONE_SURROGATE.test(part));
}

/** Keeps an error message short whatever the caller sent. */
function shortened(cursor: string): string {
  return cursor.length > 80 ? `${cursor.slice(0, 80)}…` : cursor;
}
