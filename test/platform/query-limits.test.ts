import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUERY_LIMITS, limitRefusals, queryLimitRules } from '../../src/platform/query-limits.ts';

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

describe('the cost of a paged list', () => {
  it('refuses to start with a field taking a page size that the page-size table does not name', () => {
    const unnamed = buildSchema('type Query { things(first: Int): [Thing] } type Thing { id: Int }');
    expect(() => limitRefusals(unnamed, DEFAULT_QUERY_LIMITS)).toThrow(
      'Query.things takes a page size ("first") but PAGE_SIZES names no list "things"',
    );
  });

  it('counts a page size given within an input argument, absent or by a variable, and through a fragment', () => {
    const paged = buildSchema(
      'type Query { subjects(first: Int = 20): Page transfers(filter: Filter): [T] } ' +
        'type Page { nodes: [T] } type T { id: Int } input Filter { first: Int }',
    );
    const costs = (query: string) =>
      limitRefusals(paged, { ...DEFAULT_QUERY_LIMITS, maxCost: 0 })(parse(query)).map((error) => error.message);
    expect(costs('{ transfers(filter: { first: 3 }) { id } }')).toEqual(['Query Cost limit of 0 exceeded, found 9.']);
    expect(costs('{ transfers { id } }')).toEqual(['Query Cost limit of 0 exceeded, found 150.']);
    expect(costs('query($f: Filter) { transfers(filter: $f) { id } }')).toEqual([
      'Query Cost limit of 0 exceeded, found 600.',
    ]);
    expect(costs('{ subjects(first: 2) { ...N } } fragment N on Page { nodes { id } }')).toEqual([
      'Query Cost limit of 0 exceeded, found 10.',
    ]);
  });
});
