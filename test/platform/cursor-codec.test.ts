import { describe, expect, it } from 'vitest';
import { cursorCodec, InvalidCursorError } from '../../src/platform/cursor-codec.ts';

const subjects = cursorCodec<string>({
  kind: 'subjects',
  version: 1,
  toParts: (uscc) => [uscc],
  fromParts: ([uscc, ...rest]) => (rest.length === 0 && typeof uscc === 'string' ? uscc : null),
});

const logLayout = {
  kind: 'access-log',
  version: 1,
  toParts: (seq: number) => [seq],
  fromParts: ([seq, ...rest]: readonly unknown[]) => (rest.length === 0 && typeof seq === 'number' ? seq : null),
};
const log = { ...cursorCodec<number>(logLayout), layout: logLayout };

/** What a caller sees for a refused cursor, whichever list refused it. */
function refusal(decode: () => unknown): unknown {
  try {
    decode();
  } catch (error) {
    return error;
  }
  throw new Error('the cursor was accepted');
}

describe('the cursor codec', () => {
  it('gives back the position a cursor of the same list names', () => {
    const cursor = subjects.encode('91330381MA2G2YEE23');
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(subjects.decode(cursor)).toBe('91330381MA2G2YEE23');
    expect(log.decode(log.encode(42))).toBe(42);
  });

  it('refuses a cursor of another list, even one whose position would fit', () => {
    const gaps = cursorCodec<number>({ ...log.layout, kind: 'loop-gaps' });
    expect(gaps.decode(gaps.encode(17))).toBe(17);
    expect(() => log.decode(gaps.encode(17))).toThrow(InvalidCursorError);
    expect(() => gaps.decode(log.encode(17))).toThrow(InvalidCursorError);
  });

  it('refuses a cursor of an older layout of the same list', () => {
    const older = cursorCodec<string>({
      kind: 'subjects',
      version: 0,
      toParts: (uscc) => [uscc],
      fromParts: ([uscc]) => (typeof uscc === 'string' ? uscc : null),
    });
    expect(() => subjects.decode(older.encode('91330381MA2G2YEE23'))).toThrow(InvalidCursorError);
  });

  it.each([
    ['text that is not base64url JSON', 'not-a-cursor'],
    ['base64url of plain text', Buffer.from('not-a-cursor').toString('base64url')],
    ['an edited position', Buffer.from('["subjects",1,"x",2]').toString('base64url')],
    ['a re-spaced copy of a real cursor', Buffer.from('["subjects", 1, "91330381MA2G2YEE23"]').toString('base64url')],
    ['a padded copy of a real cursor', Buffer.from('["subjects",1,"91"]').toString('base64')],
    ['an empty string', ''],
    ['an overlong string', 'A'.repeat(2_000)],
    // Positions no list writes, since no stored text holds them, which a store would refuse with an error.
    ['a position holding a NUL', Buffer.from(JSON.stringify(['subjects', 1, '9133\u0000'])).toString('base64url')],
    [
      'a position holding a control character',
      Buffer.from(JSON.stringify(['subjects', 1, '91\u001b'])).toString('base64url'),
    ],
    [
      'a position holding a lone surrogate',
      Buffer.from(JSON.stringify(['subjects', 1, '91\ud800'])).toString('base64url'),
    ],
  ])('refuses %s', (_, cursor) => {
    expect(() => subjects.decode(cursor)).toThrow(InvalidCursorError);
  });

  it('refuses every bad cursor with one BAD_USER_INPUT naming the argument and the reason', () => {
    const foreign = refusal(() => log.decode(subjects.encode('91330381MA2G2YEE23')));
    const garbled = refusal(() => subjects.decode('not-a-cursor'));
    for (const error of [foreign, garbled]) {
      expect(error).toBeInstanceOf(InvalidCursorError);
      expect(error).toMatchObject({
        message: expect.stringMatching(/^after is not a cursor this list returned: /),
        extensions: { code: 'BAD_USER_INPUT', argument: 'after', reason: 'invalid_cursor' },
      });
    }
  });

  it('keeps the message short whatever was sent', () => {
    expect((refusal(() => subjects.decode('A'.repeat(2_000))) as Error).message.length).toBeLessThan(160);
  });
});
