import { describe, expect, it } from 'vitest';
import { canonicalJson, storedEntryHash } from '../../src/modules/audit/access-log-hash.ts';
import { MAX_STORED_TEXT, storableText, storableValue } from '../../src/modules/audit/access-log-storable.ts';
import { createHash } from 'node:crypto';

/*
 * The entry's text is built directly (no sorted copies, no replacements of text that needs none)
 * because it costs every request; these references are the generic versions it replaced, and
 * every stored hash depends on the two agreeing to the byte.
 */
function referenceCanonicalJson(value: unknown): string {
  return JSON.stringify(referenceCanonicalValue(value));
}

function referenceCanonicalValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(referenceCanonicalValue);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([key, inner]) => [key, referenceCanonicalValue(inner)]));
  }
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new Error(`the access log stores only integers, not ${value}`);
  return value;
}

function referenceStoredEntryHash(stored: Readonly<Record<string, unknown>>): string {
  const { hash: _hash, ...covered }: Record<string, unknown> = stored;
  if (covered['traceId'] === null || covered['traceId'] === undefined) delete covered['traceId'];
  return createHash('sha256').update(referenceCanonicalJson(covered), 'utf8').digest('hex');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function referenceStorableText(text: string): string {
  const wellFormed = text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
  if (wellFormed.length <= MAX_STORED_TEXT) return wellFormed;
  const codePoints = Array.from(wellFormed);
  return codePoints.length <= MAX_STORED_TEXT ? wellFormed : `${codePoints.slice(0, MAX_STORED_TEXT - 1).join('')}…`;
}

function referenceStorableValue<T>(value: T): T {
  if (typeof value === 'string') return referenceStorableText(value) as T;
  if (value instanceof Date) return new Date(Math.trunc(value.getTime())) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => referenceStorableValue(item)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [referenceStorableText(key), referenceStorableValue(inner)]),
    ) as T;
  return value;
}

/** Deterministic, so a failure names a value that can be found again. */
function randomSource(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

const AWKWARD_PIECES = [
  '',
  'a',
  'B',
  'z',
  '"',
  '\\',
  '\u0000',
  '\u0001',
  '\u001f',
  '\n',
  '\t',
  '\u2028',
  '\u2029',
  '\uD800',
  '\uDBFF',
  '\uDC00',
  '\uDFFF',
  '\uD83D\uDE00',
  '😀',
  '統一社會信用代碼',
  '市场监督管理局',
  '\uFFFD',
  '\u007f',
  '</script>',
  '0',
  '10',
  '9',
  '01',
  '4294967294',
  '4294967295',
  '__proto__',
  '-1',
  '…',
];

function awkwardText(random: ReturnType<typeof randomSource>, pieces = 6): string {
  let text = '';
  const count = Math.floor(random.next() * pieces);
  for (let i = 0; i < count; i += 1) text += random.pick(AWKWARD_PIECES);
  return text;
}

function awkwardValue(random: ReturnType<typeof randomSource>, depth: number): unknown {
  const kind = Math.floor(random.next() * (depth > 0 ? 11 : 8));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return random.pick([0, -0, 1, -7, 42, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);
    case 3:
      return random.pick([0n, -12n, 2n ** 70n]);
    case 4:
      return random.next() < 0.5;
    case 5:
      return new Date(random.pick([0, 1_733_000_000_123, -62_198_755_200_000, 253_402_300_799_999]));
    case 6:
    case 7:
      return awkwardText(random);
    case 8:
      return Array.from({ length: Math.floor(random.next() * 4) }, () => awkwardValue(random, depth - 1));
    default: {
      const object: Record<string, unknown> = {};
      const keys = Math.floor(random.next() * 6);
      for (let i = 0; i < keys; i += 1)
        Object.defineProperty(object, awkwardText(random, 3), {
          value: awkwardValue(random, depth - 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return object;
    }
  }
}

const GENERATED = 5_000;

describe("the access log's canonical JSON", () => {
  it('is the generic version to the byte on thousands of awkward values', () => {
    const random = randomSource(20_261_201);
    for (let i = 0; i < GENERATED; i += 1) {
      const value = awkwardValue(random, 4);
      expect(canonicalJson(value), `value ${i}`).toBe(referenceCanonicalJson(value));
    }
  });

  it('sorts keys by code unit, uppercase before lowercase and the empty key first', () => {
    const value = { b: 1, a: { z: [], B: null, '': 'empty' }, A: undefined };
    expect(canonicalJson(value)).toBe('{"A":null,"a":{"":"empty","B":null,"z":[]},"b":1}');
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
  });

  it('writes array-index keys first in numeric order, as JSON.stringify writes any object', () => {
    const value = { b: 1, '10': 2, '9': 3, '01': 4, '4294967295': 5, '4294967294': 6 };
    expect(canonicalJson(value)).toBe(referenceCanonicalJson(value));
    expect(canonicalJson(value)).toBe('{"9":3,"10":2,"4294967294":6,"01":4,"4294967295":5,"b":1}');
  });

  it('refuses numbers that are not safe integers, as before', () => {
    for (const number of [1.5, Number.NaN, Infinity, 2 ** 53]) {
      expect(() => referenceCanonicalJson({ n: number })).toThrow('only integers');
      expect(() => canonicalJson({ n: number })).toThrow('only integers');
    }
  });

  it('gives every stored row the hash it had, a null trace id left out and a set one covered', () => {
    const random = randomSource(7);
    for (let i = 0; i < 500; i += 1) {
      const row: Record<string, unknown> = {
        seq: BigInt(i + 1),
        at: new Date(1_733_000_000_000 + i),
        callerSubject: awkwardText(random),
        roles: [awkwardText(random), awkwardText(random)],
        conditionalGrants: awkwardValue(random, 2),
        traceId: random.pick([null, undefined, 'f'.repeat(32)]),
        hashVersion: 2,
        prevHash: '0'.repeat(64),
        hash: 'ignored',
      };
      expect(storedEntryHash(row), `row ${i}`).toBe(referenceStoredEntryHash(row));
    }
  });

  it('hashes rows of different shapes, one after another, each as the generic version does', () => {
    const random = randomSource(11);
    const shapes = [
      (i: number) => ({ seq: BigInt(i), outcome: 'OK', conditionalGrants: { 'Q.b': 'g2', 'Q.a': 'g1' }, hash: '' }),
      (i: number) => ({ hash: '', outcome: 'DENIED', seq: BigInt(i), traceId: null }),
      (i: number) => ({ seq: BigInt(i), '10': awkwardText(random), '9': 'x', conditionalGrants: {} }),
    ];
    for (let i = 0; i < 300; i += 1) {
      const row = shapes[i % shapes.length]!(i);
      expect(storedEntryHash(row), `row ${i}`).toBe(referenceStoredEntryHash(row));
    }
  });
});

describe("the access log's storable text", () => {
  it('is the generic version on thousands of awkward texts, short and past the limit', () => {
    const random = randomSource(2_024);
    for (let i = 0; i < GENERATED; i += 1) {
      const text = awkwardText(random, i % 10 === 0 ? 400 : 8);
      expect(storableText(text), `text ${i}`).toBe(referenceStorableText(text));
    }
  });

  it('cuts well-formed text past the limit and repairs lone surrogates and NUL', () => {
    for (const text of ['a'.repeat(MAX_STORED_TEXT + 1), '😀'.repeat(MAX_STORED_TEXT), 'x\uD800y\u0000', '\uDC00😀'])
      expect(storableText(text)).toBe(referenceStorableText(text));
    expect(storableText('a\uD800')).toBe('a\uFFFD');
  });

  it('makes whole values storable as the generic version does, keys included', () => {
    const random = randomSource(99);
    for (let i = 0; i < GENERATED; i += 1) {
      const value = awkwardValue(random, 3);
      expect(storableValue(value), `value ${i}`).toStrictEqual(referenceStorableValue(value));
      expect(canonicalJson(storableValue(value))).toBe(referenceCanonicalJson(referenceStorableValue(value)));
    }
  });

  it('keeps a __proto__ key as a key, not a prototype', () => {
    const value = JSON.parse('{"__proto__":{"x":"y"},"a":"b"}') as Record<string, unknown>;
    const storable = storableValue(value);
    expect(Object.keys(storable)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(storable)).toBe(Object.prototype);
    expect(canonicalJson(storable)).toBe(referenceCanonicalJson(referenceStorableValue(value)));
  });
});
