import { describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';
import { plainOperationOf } from '../../src/http/plain-operation.ts';
import { hasControlByte, rawTokenOverrun } from '../../src/http/raw-token-overrun.ts';
import { tokenOverrun, tokenOverrunInPrefix } from '../../src/platform/token-overrun.ts';

/** What the parsed path finds for the same bytes: body-parser's UTF-8 decoding and JSON.parse, then the token limit. */
function parsedOverrun(body: Buffer, maxTokens: number) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { ignoreBOM: false }).decode(body));
  } catch {
    return undefined;
  }
  const operation = plainOperationOf(parsed);
  const overrun = operation && tokenOverrun(operation.query, maxTokens);
  return overrun && { overrun, operation };
}

/** The raw check agrees with the parsed path whenever it answers; `expectFound` says it must answer. */
function expectAgrees(body: Buffer, maxTokens: number, expectFound?: boolean): boolean {
  const raw = rawTokenOverrun(body, maxTokens);
  if (expectFound !== undefined) expect(raw !== undefined, body.subarray(0, 80).toString()).toBe(expectFound);
  if (!raw) return false;
  const parsed = parsedOverrun(body, maxTokens);
  expect(parsed, 'the parsed path refuses it too').toBeDefined();
  expect(raw.overrun).toEqual(parsed!.overrun);
  expect(raw.operation).toEqual({
    variables: parsed!.operation.variables,
    operationName: parsed!.operation.operationName,
  });
  expect(hashQuery(raw.queryBytes, raw.operation.variables)).toBe(
    hashQuery(parsed!.operation.query, parsed!.operation.variables),
  );
  return true;
}

const LARGE = 200 * 1024;
const tokens = (text: string) => `{ ${text.repeat(Math.ceil(LARGE / text.length))}}`;
const json = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('rawTokenOverrun: a large body over the token limit, found in its bytes exactly as after parsing', () => {
  it('finds the bench attack and documents like it, whatever the members around the query', () => {
    expectAgrees(json({ query: tokens('__typename ') }), 3000, true);
    expectAgrees(
      json({ operationName: 'Q', variables: { a: [1, 'b', null] }, query: tokens('__typename ') }),
      3000,
      true,
    );
    expectAgrees(json({ query: `query Q ${tokens('checkUscc(code: 9133) { valid } ')} # 审批·监管 😀` }), 3000, true);
    expectAgrees(json({ query: `${tokens('a, b,,, c ')}# 瑞安市`, extensions: {} }), 3000, true);
    expectAgrees(
      Buffer.from(` \n\t{ "query" : ${JSON.stringify(tokens('a, b,,, '))} , "variables" : null } \n`),
      3000,
      true,
    );
    expectAgrees(json({ query: tokens('a(x: -1.5e3, y: $v, z: [0]) @d ...F ') }), 3000, true);
  });

  it('leaves every body the JSON parser or the token limit would answer otherwise to them', () => {
    const query = tokens('__typename ');
    const cases: Buffer[] = [
      json({ query: tokens('__typename ').slice(0, 3000) }), // small
      json({ query: query.replace('__typename', '__type\\name') }), // an escape
      Buffer.from(`{"query":"${query.slice(0, 50_000)}\t${query.slice(50_000)}"}`), // a raw tab after the limit
      Buffer.from(`{"query":"${query.slice(0, 150_000)}\u0001${query.slice(150_000)}"}`),
      Buffer.from(`{"query":"${query}"}x`), // trailing text
      Buffer.from(`{"query":"${query}",}`),
      Buffer.from(`{"query":"${query}","query":"{ a }"}`), // the later member wins
      Buffer.from(`\ufeff{"query":"${query}"}`), // a byte order mark
      Buffer.concat([Buffer.from(`{"query":"${query}`), Buffer.from([0xff]), Buffer.from('"}')]), // not UTF-8
      json({ query, variables: [1] }), // not a plain operation
      json({ query, operationName: 1 }),
      json({ query, extensions: { persistedQuery: {} } }),
      json([{ query }]),
      json({ query: '{ a }', variables: { big: query } }), // the longest string is not the query
      json({ query: `${' '.repeat(130_000)}${query}` }), // the overrun past the first 120 KB
      json({ query: `{ a(s: "${'x'.repeat(150_000)}") }` }), // within the limit
      json({ query: `{ ${'a '.repeat(2999)}${'#'.repeat(150_000)}` }), // within the limit
      json({ query: `{ ${'a '.repeat(2999)}1a }${' '.repeat(150_000)}` }), // the token past the limit is unreadable
      // Left to the parser, for now: a string in the document or a line break (escaped in the body).
      json({ query: tokens('a(s: "x") ') }),
      json({ query: `query Q # 审批\n${tokens('a ')}` }),
    ];
    for (const body of cases) {
      expect(rawTokenOverrun(body, 3000), body.subarray(0, 60).toString()).toBeUndefined();
    }
  });

  it('agrees with the parsed path on mutated bodies', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // Pieces a body holds unescaped (a string or a line break in the document would be escaped), some unreadable.
    const pieces = ['__typename ', 'a ', '{ ', '} ', '1.5 ', ', ', '$v ', '...', '@ ', '-0 ', 'on '];
    const inserts = ['"', '\\', '\t', '\n', '\u0001', '}', ',', 'é', '瑞', '12a', '\u007f', ' ', '"x":1,'];
    let found = 0;
    for (let i = 0; i < 200; i++) {
      let query = '';
      while (query.length < LARGE) query += pieces[random(pieces.length)];
      if (random(2)) query += '# 注释 😀';
      let text = JSON.stringify({ query, ...(random(2) ? { variables: { v: random(9) } } : {}) });
      if (random(3) > 0) {
        const at = random(text.length);
        text = text.slice(0, at) + inserts[random(inserts.length)] + text.slice(at);
      }
      if (expectAgrees(Buffer.from(text), 1000 + random(4000))) found++;
    }
    // Enough of them are refused from their bytes for the agreement to mean something.
    expect(found).toBeGreaterThan(20);
  });
});

describe('tokenOverrunInPrefix', () => {
  it('gives the overrun of the whole document, or nothing, whatever the cut', () => {
    const documents = ['{ a b c d e }', '{ a(x: 12) }', '{ a(x: "str") b }', '{ a(x: 1.5e3) }', '{ a ... on B { c } }'];
    for (const document of documents)
      for (let limit = 1; limit < 8; limit++)
        for (let cut = 0; cut <= document.length; cut++) {
          const found = tokenOverrunInPrefix(document.slice(0, cut), limit);
          if (found) expect(found).toEqual(tokenOverrun(document, limit));
        }
    // The token past the limit must end before the cut: `12` may go on as `123` or `12a`.
    expect(tokenOverrunInPrefix('{ a(x: 12', 5)).toBeUndefined();
    expect(tokenOverrunInPrefix('{ a(x: 12)', 5)).toEqual({ position: 7, line: 1, column: 8 });
  });
});

describe('hasControlByte', () => {
  it('finds a byte under 0x20 exactly as a loop over the bytes does, at any offset and length', () => {
    let seed = 11;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(64);
      for (let j = 0; j < bytes.length; j++) bytes[j] = random(4) === 0 ? random(256) : 0x20 + random(224);
      const view = bytes.subarray(random(5));
      const start = random(20);
      const end = start + random(view.length - start + 1);
      const expected = view.subarray(start, end).some((byte) => byte < 0x20);
      expect(hasControlByte(view, start, end), JSON.stringify({ bytes: [...view.subarray(start, end)] })).toBe(
        expected,
      );
    }
  });
});
