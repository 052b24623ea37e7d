import { execute, parse, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import type { Permit, Subject } from '../../src/domain/types.ts';
import { buildUscc } from '../../src/identifiers/uscc.ts';
import { applyPermissions } from '../../src/modules/access/permission-layer.ts';
import { RequestPermissions } from '../../src/modules/access/request-permissions.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { compileReadingPageRows } from '../../src/modules/subjects/page-record-compilation.ts';
import { CompiledOperations } from '../../src/platform/compiled-execution.ts';
import { UpstreamUnavailableError } from '../../src/platform/errors.ts';
import { buildSchema } from '../../src/schema.ts';

const USCCS = ['U1', 'U2', 'U3'];
/** A subject asked for by its code, which the USCC scalar checks. */
const VALID_USCC = buildUscc({
  authority: '9',
  subjectType: '1',
  divisionCode: '330381',
  organisationBody: 'MA2H7K3Q',
});
const enterprise = (uscc: string) =>
  ({
    uscc,
    kind: 'COMPANY',
    industryCode: 'C13',
    establishedOn: '2020-01-02',
    address: `addr-${uscc}`,
    legalRepresentative: { name: `rep-${uscc}`, idNumberMasked: null },
  }) as unknown as Subject;
const permit = (uscc: string) =>
  ({
    permitNo: `P-${uscc}`,
    holderUscc: uscc,
    status: 'VALID',
    itemName: 'item',
    validFrom: '2021-01-01',
    validUntil: null,
  }) as Permit;

function loaders(failing: ReadonlySet<string>) {
  const loader = <T>(value: (uscc: string) => T) => ({
    load: (key: string): Promise<T> =>
      failing.has(key)
        ? Promise.reject(new UpstreamUnavailableError('approval', `approval down for ${key}`))
        : Promise.resolve(value(key)),
  });
  return {
    enterpriseByUscc: loader(enterprise),
    permitsByHolder: loader((uscc) => [permit(uscc)]),
    creditProfileByUscc: loader(() => null),
    subjectByUscc: loader((uscc) => ({ uscc, name: `name-${uscc}`, legacyRegNo: null, townshipCode: null })),
  };
}

const registry = {
  search: async () => ({
    items: USCCS.map((uscc) => ({ uscc, name: `name-${uscc}`, legacyRegNo: null, townshipCode: null })),
    endCursor: null,
    hasNextPage: false,
    totalCount: null,
  }),
};

function anyone(): RequestPermissions {
  const principal: Principal = {
    subject: 'u1',
    issuer: 'https://idp.example',
    kind: 'PERSON',
    authorityCode: '330381-ZFD',
    authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
    jurisdictionCode: '330381',
    roles: ['OFFICER'],
    purpose: null,
  };
  return new RequestPermissions(
    { principal, purpose: null, grantedFields: new Map() },
    readSharingDeclarations(buildSchema()).declarations,
  );
}

/** A context that counts how often a resolver reached for the loaders (every Subject field resolver does). */
function countingContext(failing: ReadonlySet<string>) {
  const count = { loaders: 0 };
  const context = { registry, loaders: loaders(failing), permissions: anyone() };
  return {
    count,
    context: new Proxy(context, {
      get: (target, key) => {
        if (key === 'loaders') count.loaders += 1;
        return target[key as keyof typeof target];
      },
    }),
  };
}

const LARGE_LIST = `query LargeList { subjects(first: 3) { nodes {
  uscc name kind industryCode establishedOn address legacyRegNo legalRepresentative { name }
  permits { permitNo status itemName validFrom validUntil }
} } }`;

type Engine = 'graphql-js' | 'jit reading page rows';

async function run(schema: GraphQLSchema, engine: Engine, query: string, failing: ReadonlySet<string> = new Set()) {
  const document = parse(query);
  const { count, context } = countingContext(failing);
  const operation = document.definitions[0] as OperationDefinitionNode;
  const result: ExecutionResult =
    engine === 'graphql-js'
      ? await execute({ schema, document, contextValue: context })
      : await new CompiledOperations({ compileAfter: 0, maxCompiled: 10, compile: compileReadingPageRows }).execute({
          schema,
          document,
          operation,
          operationName: undefined,
          variableValues: {},
          contextValue: context,
        });
  return { count, answer: JSON.parse(JSON.stringify(result)) as Record<string, unknown> };
}

const schemas = { 'without permissions': buildSchema(), 'with the permission layer': applyPermissions(buildSchema()) };

describe('an operation compiled to read a subjects page from its rows', () => {
  for (const [label, schema] of Object.entries(schemas)) {
    describe(label, () => {
      it('answers the large list as graphql-js does, without a Subject resolver per row', async () => {
        const interpreted = await run(schema, 'graphql-js', LARGE_LIST);
        const compiled = await run(schema, 'jit reading page rows', LARGE_LIST);
        expect(interpreted.answer['errors']).toBeUndefined();
        expect(compiled.answer).toEqual(interpreted.answer);
        // graphql-js: `subjects` once, then six Subject fields on each of the three rows.
        expect(interpreted.count.loaders).toBe(1 + 6 * 3);
        expect(compiled.count.loaders).toBe(1);
      });

      it('gives a row whose records failed the same errors on each field, with the same paths and codes', async () => {
        const failing = new Set(['U2']);
        const interpreted = await run(schema, 'graphql-js', LARGE_LIST, failing);
        const compiled = await run(schema, 'jit reading page rows', LARGE_LIST, failing);
        expect((interpreted.answer['errors'] as unknown[]).length).toBe(6);
        expect(compiled.answer).toEqual(interpreted.answer);
      });

      it('reads the rows through fragments and aliases', async () => {
        const query =
          'query Q { subjects(first: 3) { ...Rows } } fragment Rows on SubjectConnection { rows: nodes { ... on Subject { k: kind a: address } } }';
        const compiled = await run(schema, 'jit reading page rows', query, new Set(['U3']));
        expect(compiled.answer).toEqual((await run(schema, 'graphql-js', query, new Set(['U3']))).answer);
        expect(compiled.count.loaders).toBe(1);
      });

      it('keeps the resolvers when the fields are also asked of a subject that is not on a page', async () => {
        const query = `query Q { subjects(first: 3) { nodes { kind } } subject(uscc: "${VALID_USCC}") { uscc kind } }`;
        const compiled = await run(schema, 'jit reading page rows', query);
        expect(compiled.answer).toEqual((await run(schema, 'graphql-js', query)).answer);
        expect(compiled.answer).toMatchObject({ data: { subject: { uscc: VALID_USCC, kind: 'COMPANY' } } });
      });

      it('keeps the resolvers when the page loads nothing for its rows (a field below would wait for it)', async () => {
        const query = 'query Q { subjects(first: 3) { nodes { kind credit { grade } } } }';
        const compiled = await run(schema, 'jit reading page rows', query);
        expect(compiled.answer).toEqual((await run(schema, 'graphql-js', query)).answer);
        expect(compiled.count.loaders).toBe(1 + 2 * 3);
      });

      it('leaves the schema as it found it', async () => {
        const before = Object.values(schema.getTypeMap()).length;
        const kind = (schema.getType('Subject') as { getFields(): Record<string, { resolve?: unknown }> }).getFields()[
          'kind'
        ]!.resolve;
        await run(schema, 'jit reading page rows', LARGE_LIST);
        expect(Object.values(schema.getTypeMap()).length).toBe(before);
        expect(
          (schema.getType('Subject') as { getFields(): Record<string, { resolve?: unknown }> }).getFields()['kind']!
            .resolve,
        ).toBe(kind);
        expect(kind).toBeTypeOf('function');
      });
    });
  }
});
