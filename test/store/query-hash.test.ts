import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashQuery } from '../../src/modules/audit/access-log-hash.ts';

/** The documented form, spelled out here independently: sha256 of the text, a newline, the sorted variables. */
function documentedHash(query: string, variablesJson: string): string {
  return createHash('sha256').update(`${query}\n${variablesJson}`, 'utf8').digest('hex');
}

describe('hashQuery', () => {
  it('is sha256 of the query, a newline and the variables with sorted keys, whatever the text holds', () => {
    const cases: Array<[string, Record<string, unknown> | null | undefined, string]> = [
      ['', null, '{}'],
      ['{ __typename }', undefined, '{}'],
      ['query Q($u: USCC!) { subject(uscc: $u) { name } }', { u: '91330381MA2G2YEE23' }, '{"u":"91330381MA2G2YEE23"}'],
      ['{ a }', { z: 1, a: { y: [2, { c: 3, b: 4 }], x: null } }, '{"a":{"x":null,"y":[2,{"b":4,"c":3}]},"z":1}'],
      ['{ subject(name: "瑞安市隆瑞服饰") { name } } # 审批 😀', null, '{}'],
      // A lone surrogate at the end of the text is written as U+FFFD, as in the concatenated text.
      ['{ a } # \ud83d', null, '{}'],
      // JSON.stringify escapes a lone surrogate in the variables.
      [`{ ${'__typename '.repeat(20_000)}}`, { n: '\udc00' }, '{"n":"\\udc00"}'],
    ];
    for (const [query, variables, variablesJson] of cases)
      expect(hashQuery(query, variables)).toBe(documentedHash(query, variablesJson));
  });

  it('hashes different documents and different variables apart', () => {
    expect(hashQuery('{ a }', null)).not.toBe(hashQuery('{ b }', null));
    expect(hashQuery('{ a }', { x: 1 })).not.toBe(hashQuery('{ a }', { x: 2 }));
  });
});
