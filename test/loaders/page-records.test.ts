import { execute, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import type { Permit, Subject } from '../../src/domain/types.ts';
import { applyPermissions, isUngated } from '../../src/modules/access/permission-layer.ts';
import { RequestPermissions } from '../../src/modules/access/request-permissions.ts';
import { revealDeclarationsOf } from '../../src/modules/access/reveal-declarations.ts';
import { readRoleRequirements } from '../../src/modules/access/role-requirements.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { UpstreamUnavailableError } from '../../src/platform/errors.ts';
import { PAGE_RECORD_FIELDS } from '../../src/modules/subjects/page-records.ts';
import { buildSchema } from '../../src/schema.ts';

const USCCS = ['U1', 'U2', 'U3'];
const enterprise = (uscc: string) =>
  ({ uscc, kind: 'COMPANY', industryCode: 'C13', establishedOn: '2020-01-02', address: `addr-${uscc}` }) as Subject;
const permit = (uscc: string) =>
  ({
    permitNo: `P-${uscc}`,
    holderUscc: uscc,
    status: 'VALID',
    itemName: 'item',
    validFrom: '2021-01-01',
    validUntil: null,
  }) as Permit;

/** Loaders that note each key they were asked for, in order: row by row, or the whole page first. */
function countingLoaders(failing: ReadonlySet<string> = new Set()) {
  const asked = { load: [] as string[] };
  const loader = <T>(name: string, value: (uscc: string) => T) => {
    const one = (key: string): Promise<T> =>
      failing.has(key)
        ? Promise.reject(new UpstreamUnavailableError('approval', `approval down for ${key}`))
        : Promise.resolve(value(key));
    return {
      load: (key: string) => {
        asked.load.push(`${name}:${key}`);
        return one(key);
      },
    };
  };
  const loaders = {
    enterpriseByUscc: loader('enterprise', enterprise),
    permitsByHolder: loader('permits', (uscc) => [permit(uscc)]),
    creditProfileByUscc: loader('credit', () => null),
    inspectionsByPermitNo: loader('inspections', () => []),
  };
  return { asked, loaders };
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
    { principal, purpose: null, grantedFields: new Map(), reachesServedArea: true },
    readSharingDeclarations(buildSchema()).declarations,
  );
}

const LARGE_LIST = `{ subjects(first: 3) { nodes {
  uscc name kind industryCode establishedOn address legacyRegNo
  permits { permitNo status itemName validFrom validUntil }
} } }`;

interface Answer {
  data: { subjects: Record<string, Array<Record<string, unknown>>> };
  errors?: Array<{ path: Array<string | number>; message: string; extensions?: { code?: string } }>;
}

async function run(schema: GraphQLSchema, query: string, failing?: ReadonlySet<string>) {
  const { asked, loaders } = countingLoaders(failing);
  const result = await execute({
    schema,
    document: parse(query),
    contextValue: { registry, loaders, permissions: anyone(), subjectsTouched: new Set<string>() },
  });
  return { asked, result: JSON.parse(JSON.stringify(result)) as Answer };
}

const schemas = { 'without permissions': buildSchema(), 'with the permission layer': applyPermissions(buildSchema()) };

describe('page records of a subjects list', () => {
  it('are only for fields every caller may read, so nothing gated is fetched before its rule allows it', () => {
    const schema = buildSchema();
    const { declarations } = readSharingDeclarations(schema);
    const roles = readRoleRequirements(schema);
    const reveals = revealDeclarationsOf(schema);
    const fields = Object.values(PAGE_RECORD_FIELDS).flat();
    expect(fields.length).toBeGreaterThan(0);
    for (const field of fields) expect(isUngated(`Subject.${field}`, declarations, roles, reveals), field).toBe(true);
  });

  for (const [label, schema] of Object.entries(schemas)) {
    describe(label, () => {
      it('answers the large list from each record asked once for the whole page, none per row and field', async () => {
        const { asked, result } = await run(schema, LARGE_LIST);
        expect(result.errors).toBeUndefined();
        expect(asked.load).toEqual([...USCCS.map((u) => `enterprise:${u}`), ...USCCS.map((u) => `permits:${u}`)]);
        expect(result.data.subjects['nodes']?.[1]).toEqual({
          uscc: 'U2',
          name: 'name-U2',
          kind: 'COMPANY',
          industryCode: 'C13',
          establishedOn: '2020-01-02',
          address: 'addr-U2',
          legacyRegNo: null,
          permits: [{ permitNo: 'P-U2', status: 'VALID', itemName: 'item', validFrom: '2021-01-01', validUntil: null }],
        });
      });

      it('gives a row whose record failed the error on each of its fields, as its loader would, and keeps the others', async () => {
        const { asked, result } = await run(
          schema,
          '{ subjects(first: 3) { nodes { uscc kind address } } }',
          new Set(['U2']),
        );
        expect(asked.load).toEqual(USCCS.map((u) => `enterprise:${u}`));
        expect(result.data.subjects['nodes']).toEqual([
          { uscc: 'U1', kind: 'COMPANY', address: 'addr-U1' },
          { uscc: 'U2', kind: null, address: null },
          { uscc: 'U3', kind: 'COMPANY', address: 'addr-U3' },
        ]);
        expect(result.errors!.map((e) => [e.path.join('.'), e.message, e.extensions?.code])).toEqual([
          [
            'subjects.nodes.1.kind',
            'The approval system is unavailable (approval down for U2).',
            'UPSTREAM_UNAVAILABLE',
          ],
          [
            'subjects.nodes.1.address',
            'The approval system is unavailable (approval down for U2).',
            'UPSTREAM_UNAVAILABLE',
          ],
        ]);
      });

      it('sees the fields through fragments and aliases', async () => {
        const { asked, result } = await run(
          schema,
          '{ subjects(first: 3) { ...Rows } } fragment Rows on SubjectConnection { rows: nodes { ... on Subject { k: kind } } }',
        );
        expect(result.errors).toBeUndefined();
        expect(asked.load).toEqual(USCCS.map((u) => `enterprise:${u}`));
        expect(result.data.subjects['rows']?.[0]).toEqual({ k: 'COMPANY' });
      });

      it('leaves the rows to their own loaders when another field below them would wait for the page', async () => {
        for (const [query, other] of [
          ['{ subjects(first: 3) { nodes { kind credit { grade } } } }', 'credit'],
          ['{ subjects(first: 3) { nodes { kind permits { permitNo inspections { id } } } } }', 'permits'],
        ]) {
          const { asked, result } = await run(schema, query!);
          expect(result.errors, query).toBeUndefined();
          // Row by row: the first row asks both its records before the second row asks any.
          expect(asked.load.slice(0, 3), query).toEqual(['enterprise:U1', `${other}:U1`, 'enterprise:U2']);
        }
      });

      it('loads nothing for a field skipped or left out by a directive', async () => {
        for (const query of [
          '{ subjects(first: 3) { nodes { uscc kind @include(if: false) } } }',
          '{ subjects(first: 3) { nodes @skip(if: true) { kind } } }',
          '{ subjects(first: 3) { nodes { uscc ... on Subject @include(if: false) { permits { permitNo } } } } }',
        ]) {
          const { asked, result } = await run(schema, query);
          expect(result.errors, query).toBeUndefined();
          expect(asked.load, query).toEqual([]);
        }
      });

      it('asks nothing when no page record is selected', async () => {
        const { asked } = await run(schema, '{ subjects(first: 3) { nodes { uscc name } } }');
        expect(asked.load).toEqual([]);
      });
    });
  }
});
