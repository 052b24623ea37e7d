import { makeExecutableSchema } from '@graphql-tools/schema';
import {
  execute,
  GraphQLError,
  GraphQLScalarType,
  parse,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { CompiledOperations } from '../../src/platform/compiled-execution.ts';
import { DateScalar } from '../../src/scalars/time-scalars.ts';
import { UsccScalar } from '../../src/scalars/uscc-scalar.ts';
import { buildUscc } from '../../src/identifiers/uscc.ts';

/** A thrown error without extensions: Apollo reads `extensions.code` of whatever execution returns. */
const plainFailure = new Error('the agency sent nonsense');
const codedFailure = new GraphQLError('Not allowed: for the test.', {
  extensions: { code: 'FORBIDDEN', rule: 'test' },
});

const schema = makeExecutableSchema({
  typeDefs: `
    scalar USCC
    scalar Date
    scalar Loose
    type Query {
      echo(value: Loose): String
      subject(uscc: USCC!, on: Date): Subject
      subjects: [Subject!]
    }
    type Subject {
      uscc: USCC!
      name: String!
      plain: String
      coded: String
      badDate: Date
      on: Date
    }
    type Mutation { touch: Boolean }
  `,
  resolvers: {
    USCC: UsccScalar,
    Date: DateScalar,
    // graphql-js refuses only undefined from parseValue; jit refuses NaN too.
    Loose: new GraphQLScalarType({ name: 'Loose', parseValue: (value) => (value === 'nan' ? Number.NaN : value) }),
    Query: {
      echo: (_root, args: { value: unknown }) => String(args.value),
      subject: (_root, args: { uscc: string; on?: string }) => ({ uscc: args.uscc, name: 'A', on: args.on }),
      // The second subject has no name: a non-null field's null propagates to its list item, then the list.
      subjects: () => [
        { uscc: '91330381MA2AAAAA0X', name: 'A' },
        { uscc: '91330381MA2AAAAB0X', name: null },
      ],
    },
    Subject: {
      plain: () => Promise.reject(plainFailure),
      coded: () => {
        throw codedFailure;
      },
      badDate: () => '2024-02-30',
    },
    Mutation: { touch: () => true },
  },
});

const VALID_USCC = buildUscc({
  authority: '9',
  subjectType: '1',
  divisionCode: '330381',
  organisationBody: 'MA2AAAAA',
});

function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition')!;
}

/** What Apollo Server reads of a result: data, each error's JSON and code, and the error behind it. */
function asApolloSeesIt(result: ExecutionResult) {
  return {
    data: result.data,
    errors: result.errors?.map((error) => ({
      json: error.toJSON(),
      code: error.extensions.code,
      isGraphQLError: error instanceof GraphQLError,
      behind: error.originalError?.message,
    })),
  };
}

function recorder() {
  const seen = { compiled: 0, refused: 0, jit: 0, js: 0 };
  return {
    seen,
    observer: {
      compiled: (ok: boolean) => void (ok ? seen.compiled++ : seen.refused++),
      executed: (engine: 'jit' | 'graphql-js') => void (engine === 'jit' ? seen.jit++ : seen.js++),
    },
  };
}

function run(operations: CompiledOperations, document: DocumentNode, variableValues?: Record<string, unknown>) {
  return operations.execute({
    schema,
    document,
    operation: operationOf(document),
    operationName: undefined,
    variableValues,
    contextValue: {},
  });
}

describe('a query executed through graphql-jit', () => {
  it('is compiled once, after its first execution, and answers as graphql-js does, errors and all', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 1, maxCompiled: 10 });
    const observed = new CompiledOperations({ compileAfter: 1, maxCompiled: 10, observer });
    const document = parse(`query ($u: USCC!, $on: Date) {
      subject(uscc: $u, on: $on) { uscc name plain coded badDate on }
      subjects { uscc name }
    }`);
    const variables = { u: VALID_USCC, on: '2024-01-31' };
    const reference = asApolloSeesIt(await execute({ schema, document, variableValues: variables }));
    // The reference shows every kind of failure the comparison is about.
    expect(reference.errors?.map((e) => e.json.path?.join('.')).sort()).toEqual([
      'subject.badDate',
      'subject.coded',
      'subject.plain',
      'subjects.1.name',
    ]);
    expect(reference.errors?.filter((e) => e.code === 'FORBIDDEN')).toHaveLength(1);
    expect(reference.data?.['subjects']).toBeNull();

    const first = asApolloSeesIt(await run(observed, document, variables));
    expect(seen).toEqual({ compiled: 0, refused: 0, jit: 0, js: 1 });
    for (let i = 0; i < 3; i++) {
      const again = asApolloSeesIt(await run(observed, document, variables));
      expect(again.data).toEqual(reference.data);
      expect(sorted(again.errors)).toEqual(sorted(first.errors));
    }
    expect(seen).toEqual({ compiled: 1, refused: 0, jit: 3, js: 1 });
    expect(sorted(first.errors)).toEqual(sorted(reference.errors));
    // The resolvers' own errors stay behind the answer's (the error masker reads them, and the log shows them).
    const compiledOnce = await run(observed, document, variables);
    const behind = (path: string) => compiledOnce.errors?.find((e) => e.path?.join('.') === path)?.originalError;
    expect(behind('subject.plain')).toBe(plainFailure);
    expect(behind('subject.coded')).toBe(codedFailure);
    // graphql-js's errors have an extensions object, even empty: Apollo reads `extensions.code` of each.
    await run(operations, document, variables);
    const compiled = await run(operations, document, variables);
    expect(compiled.errors?.every((e) => e instanceof GraphQLError && typeof e.extensions === 'object')).toBe(true);
  });

  it('refuses a bad variable with the very errors graphql-js gives, a scalar’s reason included', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 0, maxCompiled: 10, observer });
    const document = parse('query ($u: USCC!, $on: Date) { subject(uscc: $u, on: $on) { name } }');
    for (const variables of [{ u: 'not-a-uscc' }, { u: 12 }, { u: VALID_USCC, on: '2024-02-30' }, {}, { u: null }]) {
      const reference = asApolloSeesIt(await execute({ schema, document, variableValues: variables }));
      expect(reference.data).toBeUndefined();
      expect(asApolloSeesIt(await run(operations, document, variables))).toEqual(reference);
    }
    expect(seen.compiled).toBe(1);
  });

  it('leaves to graphql-js variables that jit refuses and graphql-js accepts', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 0, maxCompiled: 10, observer });
    const document = parse('query ($v: Loose) { echo(value: $v) }');
    expect(await run(operations, document, { v: 'nan' })).toEqual({ data: { echo: 'NaN' } });
    expect(seen).toEqual({ compiled: 1, refused: 0, jit: 0, js: 1 });
    expect(await run(operations, document, { v: 'x' })).toEqual({ data: { echo: 'x' } });
    expect(seen.jit).toBe(1);
  });

  it('leaves mutations and introspection to graphql-js', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 0, maxCompiled: 10, observer });
    for (const text of [
      'mutation { touch }',
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Subject") { name } }',
    ]) {
      const document = parse(text);
      const result = await run(operations, document);
      expect(result).toEqual(await execute({ schema, document }));
    }
    expect(seen).toEqual({ compiled: 0, refused: 0, jit: 0, js: 3 });
  });

  it('leaves @skip and @include to graphql-js (jit has had wrong answers with them on shared fragments)', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 0, maxCompiled: 10, observer });
    const document = parse(`query ($i: Boolean!) {
      subject(uscc: "${VALID_USCC}") { a: name @skip(if: $i) ...N }
    } fragment N on Subject { b: name @include(if: $i) }`);
    for (const i of [true, false]) {
      expect(await run(operations, document, { i })).toEqual(
        await execute({ schema, document, variableValues: { i } }),
      );
    }
    expect(seen).toEqual({ compiled: 0, refused: 1, jit: 0, js: 2 });
  });

  it('compiles none of a flood of distinct documents, each sent once', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 1, maxCompiled: 10, observer });
    for (let i = 0; i < 200; i++) {
      await run(operations, parse(`{ subject(uscc: "${VALID_USCC}") { n${i}: name } }`));
    }
    expect(seen).toEqual({ compiled: 0, refused: 0, jit: 0, js: 200 });
  });

  it('keeps at most maxCompiled operations, dropping the least recently used', async () => {
    const { seen, observer } = recorder();
    const operations = new CompiledOperations({ compileAfter: 0, maxCompiled: 2, observer });
    const [a, b, c] = ['a', 'b', 'c'].map((alias) => parse(`{ subject(uscc: "${VALID_USCC}") { ${alias}: name } }`));
    for (const document of [a!, b!, a!, c!, a!]) await run(operations, document);
    // a stays (used again before c came); b is dropped for c.
    expect(seen.compiled).toBe(3);
    await run(operations, b!);
    expect(seen.compiled).toBe(4);
  });
});

/** Errors in a stable order: graphql-jit reports null-propagation errors after the others. */
function sorted<T extends { json: { path?: readonly (string | number)[]; message: string } }>(errors: T[] | undefined) {
  return [...(errors ?? [])].sort((x, y) =>
    `${x.json.path?.join('.')}:${x.json.message}`.localeCompare(`${y.json.path?.join('.')}:${y.json.message}`),
  );
}
