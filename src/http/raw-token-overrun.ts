import { isUtf8 } from 'node:buffer';
import { type TokenOverrun, tokenOverrun, tokenOverrunInPrefix } from '../platform/token-overrun.ts';
import { type PlainOperation, plainOperationOf } from './plain-operation.ts';

/**
 * V8 keeps a string of more than 128 K characters in its large-object space: each such string gets
 * memory mapped for it alone, about 0.15 ms of CPU for 200 KB against 0.02 ms for one just under
 * the size. A body over it would cost the JSON parser two such strings (the decoded body, the
 * query in it) and dominated a 200 KB document's refusal (bench/notes/attack.md).
 */
export const LARGE_STRING_BYTES = 128 * 1024;

/** The first part of the document read for its tokens: kept under V8's large-object size. */
const PREFIX_BYTES = 120 * 1024;

/** Bodies with more strings than this are left to the parser (walking their quotes would cost more). */
const MAX_STRINGS = 256;

/** Stands for the long string in the body's skeleton; no escape-free body can hold a NUL in a string. */
const PLACEHOLDER = '\u0000';

export interface RawTokenOverrun {
  operation: Omit<PlainOperation, 'query'>;
  /** The document's UTF-8 bytes, as they are in the body (no escapes: the same bytes as its text). */
  queryBytes: Buffer;
  overrun: TokenOverrun;
}

/**
 * A document over the token limit found in a large JSON body's bytes, without decoding or parsing
 * the whole body: exactly when the JSON parser would accept the body as a plain operation (see
 * `plainOperationOf`) whose query graphql-js would stop at that token. Undefined for anything it
 * cannot decide so (a small body, an escape anywhere, bytes that are not UTF-8, a byte order mark,
 * more than 256 strings, the query not the body's longest string, the overrun not in its first
 * 120 KB): the JSON parser and the token limit after it then decide, as for any body.
 *
 * Without a backslash every JSON string runs from a quote to the next one, so the body's structure
 * is its text with the longest string replaced by a placeholder (a skeleton, parsed by JSON.parse),
 * and that string is valid where the parser would find it valid: without raw control characters.
 */
export function rawTokenOverrun(body: Buffer, maxTokens: number): RawTokenOverrun | undefined {
  if (body.length <= LARGE_STRING_BYTES || body.indexOf(0x5c) !== -1) return undefined;
  // The JSON parser's UTF-8 decoding drops a byte order mark and replaces bytes that are not UTF-8.
  if (body[0] === 0xef || !isUtf8(body)) return undefined;
  const longest = longestString(body);
  if (!longest) return undefined;
  const [open, close] = longest;
  let operation: PlainOperation | undefined;
  try {
    const skeleton = `${body.toString('utf8', 0, open)}"\\u0000"${body.toString('utf8', close + 1)}`;
    operation = plainOperationOf(JSON.parse(skeleton));
  } catch {
    return undefined;
  }
  if (operation?.query !== PLACEHOLDER) return undefined;
  const start = open + 1;
  if (hasControlByte(body, start, close)) return undefined;
  const end = prefixEnd(body, start, close);
  const text = body.toString('utf8', start, end);
  const overrun = end === close ? tokenOverrun(text, maxTokens) : tokenOverrunInPrefix(text, maxTokens);
  if (!overrun) return undefined;
  const { query: _placeholder, ...rest } = operation;
  return { operation: rest, queryBytes: body.subarray(start, close), overrun };
}

/** The quotes around the body's longest string, when its quotes pair up and are not too many. */
function longestString(body: Buffer): [number, number] | undefined {
  let longest: [number, number] | undefined;
  let open = body.indexOf(0x22);
  for (let strings = 0; open !== -1; strings++) {
    const close = body.indexOf(0x22, open + 1);
    if (close === -1 || strings === MAX_STRINGS) return undefined;
    if (!longest || close - open > longest[1] - longest[0]) longest = [open, close];
    open = body.indexOf(0x22, close + 1);
  }
  return longest;
}

/** Where the document's first part ends: at most PREFIX_BYTES in, never inside a UTF-8 character. */
function prefixEnd(body: Buffer, start: number, end: number): number {
  if (end - start <= PREFIX_BYTES) return end;
  let cut = start + PREFIX_BYTES;
  while ((body[cut]! & 0xc0) === 0x80) cut--;
  return cut;
}

/**
 * Whether bytes `start` to `end` hold one under 0x20, a raw control character JSON does not allow in
 * a string (UTF-8 puts none inside a longer character). Four bytes at a time: for each byte b of a
 * word, `(b - 0x20) & ~b & 0x80` is set exactly when b < 0x20 (b < 0x80 and the subtraction borrowed),
 * and a borrow into the next byte happens only after such a byte ("hasless", Bit Twiddling Hacks).
 * A quarter of the time of a loop over the bytes, and no string made.
 */
export function hasControlByte(body: Uint8Array, start: number, end: number): boolean {
  let position = start;
  while (position < end && (body.byteOffset + position) % 4 !== 0) if (body[position++]! < 0x20) return true;
  if (position >= end) return false;
  const words = new Uint32Array(body.buffer, body.byteOffset + position, (end - position) >>> 2);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (((word - 0x20202020) & ~word & 0x80808080) !== 0) return true;
  }
  for (position += words.length * 4; position < end; position++) if (body[position]! < 0x20) return true;
  return false;
}
