import { getLocation, GraphQLError, Lexer, parse, Source, TokenKind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { tokenOverrun } from '../../src/platform/token-overrun.ts';

/** Where graphql-js's own lexer puts the first token past `maxTokens`; undefined if there is none or it fails first. */
function graphqlOverrun(body: string, maxTokens: number) {
  const source = new Source(body);
  const lexer = new Lexer(source);
  try {
    for (let count = 0; ; count++) {
      const token = lexer.advance();
      if (token.kind === TokenKind.EOF) return undefined;
      if (count === maxTokens) return { position: token.start, ...getLocation(source, token.start) };
    }
  } catch (error) {
    if (error instanceof GraphQLError) return undefined;
    throw error;
  }
}

const PIECES = [
  'a',
  'query',
  '_x9',
  '{',
  '}',
  '(',
  ')',
  ':',
  '$',
  '!',
  '=',
  '@',
  '[',
  ']',
  '|',
  '&',
  '...',
  '0',
  '-12',
  '3.25',
  '1e9',
  '-0.5E-3',
  '"s"',
  '"é 漢字 😀"',
  '"a\\"b\\\\c\\n"',
  '"""block"""',
  '"""two\nlines\r\nthree\rfour"""',
  '"""esc \\""" q"""',
  '# comment\n',
  '#c😀\r\n',
  ',',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\uFEFF',
];
/** Pieces graphql-js refuses, or this scan leaves to graphql-js. */
const AWKWARD = [
  '.',
  '..',
  '"\\u0041"',
  '"open',
  '"""open',
  '00',
  '1.',
  '1x',
  "'",
  '?',
  '\uD800',
  '"\\q"',
  '-',
  '"x\ny"',
];

function randomDocument(random: () => number, pieces: readonly string[], length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const piece = pieces[Math.floor(random() * pieces.length)]!;
    // Names and numbers next to each other would run together: separate every piece.
    text += piece + (random() < 0.5 ? ' ' : '\n');
  }
  return text;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('tokenOverrun: the token limit found without parsing, exactly where graphql-js finds it', () => {
  it('agrees with graphql-js on the first token past the limit, line and column included', () => {
    const random = seeded(7);
    for (let i = 0; i < 3000; i++) {
      const body = randomDocument(random, PIECES, 1 + Math.floor(random() * 60));
      const maxTokens = Math.floor(random() * 50);
      expect(tokenOverrun(body, maxTokens), JSON.stringify({ body, maxTokens })).toEqual(
        graphqlOverrun(body, maxTokens),
      );
    }
  });

  it('never claims an overrun graphql-js would not report, whatever the text holds', () => {
    const random = seeded(11);
    for (let i = 0; i < 3000; i++) {
      const body = randomDocument(random, [...PIECES, ...AWKWARD], 1 + Math.floor(random() * 40));
      const maxTokens = Math.floor(random() * 30);
      const found = tokenOverrun(body, maxTokens);
      if (found) expect(found, JSON.stringify({ body, maxTokens })).toEqual(graphqlOverrun(body, maxTokens));
    }
  });

  it('accepts a document of exactly the limit and refuses one token more, where the parser stops', () => {
    const exactly = `{ ${'__typename '.repeat(2998)}}`; // { + 2998 names + } = 3000 tokens
    expect(() => parse(exactly, { maxTokens: 3000 })).not.toThrow();
    expect(tokenOverrun(exactly, 3000)).toBeUndefined();

    const over = `{ ${'__typename '.repeat(2999)}}`;
    const found = tokenOverrun(over, 3000);
    expect(found).toBeDefined();
    try {
      parse(over, { maxTokens: 3000 });
      expect.unreachable('graphql-js accepted a document over its token limit');
    } catch (error) {
      expect((error as GraphQLError).message).toBe(
        'Syntax Error: Document contains more that 3000 tokens. Parsing aborted.',
      );
      expect((error as GraphQLError).positions).toEqual([found!.position]);
      expect((error as GraphQLError).locations).toEqual([{ line: found!.line, column: found!.column }]);
    }
  });

  it('does not count comments, commas or white space', () => {
    expect(tokenOverrun('# a b c\n{ a, b,,, c }', 5)).toBeUndefined();
    expect(tokenOverrun('# a b c\n{ a, b,,, c }', 4)).toEqual({ position: 20, line: 2, column: 13 });
  });
});
