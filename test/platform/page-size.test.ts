import { buildASTSchema, parse, valueFromAST, type GraphQLArgument, type GraphQLInputField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZES, pageSize, type PagedList } from '../../src/platform/page-size.ts';
import { loadTypeDefs } from '../../src/schema.ts';

const schema = buildASTSchema(parse(loadTypeDefs().join('\n')));

/** Where each paged list takes its `first` in the schema. */
const FIRST_ARGUMENT: Record<PagedList, () => GraphQLArgument | GraphQLInputField | undefined> = {
  subjects: () => queryArgument('subjects'),
  loopGaps: () => queryArgument('loopGaps'),
  accessLog: () => queryArgument('accessLog'),
  deadLetters: () => queryArgument('deadLetters'),
  sharingRequests: () => queryArgument('sharingRequests'),
  transfers: () =>
    (schema.getType('TransferFilter') as { getFields?: () => Record<string, GraphQLInputField> }).getFields?.().first,
};

function queryArgument(field: string): GraphQLArgument | undefined {
  const fields = schema.getQueryType()?.getFields() ?? {};
  return fields[field]?.args.find((arg) => arg.name === 'first');
}

describe('the page-size rule', () => {
  it('takes the list’s default when first is absent or null', () => {
    expect(pageSize('subjects', undefined)).toBe(20);
    expect(pageSize('loopGaps', null)).toBe(50);
  });

  it('takes any whole first from 1 to the list’s maximum', () => {
    expect(pageSize('subjects', 1)).toBe(1);
    expect(pageSize('subjects', 100)).toBe(100);
    expect(pageSize('loopGaps', 500)).toBe(500);
  });

  it.each(Object.keys(PAGE_SIZES) as PagedList[])(
    'refuses 0, -1, one over the maximum and a fraction for %s with one BAD_USER_INPUT',
    (list) => {
      const { max } = PAGE_SIZES[list];
      for (const first of [0, -1, max + 1, 1.5, Number.NaN]) {
        expect(() => pageSize(list, first), `first: ${first}`).toThrow(
          expect.objectContaining({
            message: `first must be between 1 and ${max}, got ${first}`,
            extensions: { code: 'BAD_USER_INPUT', argument: 'first', reason: 'page_size' },
          }),
        );
      }
    },
  );

  it.each(Object.keys(PAGE_SIZES) as PagedList[])(
    'has the schema show the same default for %s as the table, or none',
    (list) => {
      const argument = FIRST_ARGUMENT[list]();
      expect(argument, `${list} has a first argument`).toBeDefined();
      const shown = argument!.astNode?.defaultValue
        ? valueFromAST(argument!.astNode.defaultValue, argument!.type)
        : undefined;
      expect([undefined, PAGE_SIZES[list].default]).toContain(shown);
    },
  );
});
