import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from '../../src/platform/query-limits.ts';

// A schema whose one link makes any depth expressible, as permit → holder → permits does.
const schema = buildSchema('type Query { node: Query count: Int }');
const rules = [...specifiedRules, ...queryLimitRules(DEFAULT_QUERY_LIMITS)];
const messagesOf = (query: string) => validate(schema, parse(query), rules).map((error) => error.message);

const nested = (levels: number, leaf: string) => {
  let selection = leaf;
  for (let i = 0; i < levels; i += 1) selection = `node { ${selection} }`;
  return `{ ${selection} }`;
};
const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: count`).join(' ');

describe('query limits, checked before the rest of validation', () => {
  it('accepts a document within every limit', () => {
    expect(messagesOf(nested(5, 'count'))).toEqual([]);
  });

  it('still reports the ordinary mistakes of a document within the limits', () => {
    expect(messagesOf(nested(5, 'nope'))).toEqual([expect.stringMatching(/^Cannot query field "nope"/)]);
  });

  it('refuses a document over the depth limit with that limit alone, without walking it for other mistakes', () => {
    expect(messagesOf(nested(30, 'nope'))).toEqual(['Query depth limit of 12 exceeded, found 31.']);
  });

  it('reports every limit a document breaks', () => {
    expect(messagesOf(`{ ${aliases(25)} ${nested(30, 'count').slice(1, -1)} }`)).toEqual([
      'Query depth limit of 12 exceeded, found 31.',
      'Aliases limit of 20 exceeded, found 25.',
    ]);
  });

  it('gives a refusal a stack without frames: nobody reads it, and formatting one costs CPU', () => {
    const [error] = validate(schema, parse(nested(30, 'count')), rules);
    expect(error!.stack!.split('\n')).toHaveLength(1);
  });
});
