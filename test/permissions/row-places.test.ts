import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { applyPermissions } from '../../src/modules/access/permission-layer.ts';
import { RequestPermissions } from '../../src/modules/access/request-permissions.ts';
import { ownerOpens, placingOf, type RowPlaces } from '../../src/modules/access/row-places.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { ServedArea } from '../../src/modules/access/served-area.ts';
import { ROW_PLACES } from '../../src/modules/subjects/index.ts';
import { buildSchema } from '../../src/schema.ts';
import { SHARE_DIRECTIVE } from './sharing-directives.ts';

const typeDefs = /* GraphQL */ `
  ${SHARE_DIRECTIVE}
  type Query {
    penalties: [Penalty!]! @share(class: UNCONDITIONAL)
    notes: [Note!]! @share(class: UNCONDITIONAL)
  }
  type Penalty {
    decisionNo: String! @share(class: UNCONDITIONAL, owner: ENFORCEMENT)
    executionStatus: String @share(class: CONDITIONAL, owner: ENFORCEMENT, condition: "credit")
  }
  "A record type with a field owner standing opens, and no declared place."
  type Note {
    text: String @share(class: CONDITIONAL, owner: ENFORCEMENT, condition: "enforcement")
  }
`;
const rows = [
  { decisionNo: 'P-A', township: '330381001', executionStatus: 'status-of-A' },
  { decisionNo: 'P-B', township: '330381002', executionStatus: 'status-of-B' },
];
const schema = makeExecutableSchema({
  typeDefs,
  resolvers: { Query: { penalties: () => rows, notes: () => [{ text: 'note-text' }] } },
});
const places: RowPlaces<unknown> = {
  confined: [],
  placed: { Penalty: (row) => (row as (typeof rows)[number]).township },
};

function enforcementTeam(jurisdictionCode: string): RequestPermissions {
  const principal: Principal = {
    subject: 'u1',
    issuer: 'https://idp.example',
    kind: 'PERSON',
    authorityCode: `${jurisdictionCode}-ZFD`,
    authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
    jurisdictionCode,
    roles: ['OFFICER'],
    purpose: null,
  };
  const area = new ServedArea(['330381001', '330381002']);
  return new RequestPermissions(
    {
      principal,
      purpose: null,
      grantedFields: new Map(),
      reachesServedArea: area.reaches(jurisdictionCode),
      coversServedArea: area.covers(jurisdictionCode),
    },
    readSharingDeclarations(schema).declarations,
  );
}

describe('owner standing decided per row by the row’s place', () => {
  it('opens a field to a township team on its township’s rows and refuses it on the others', async () => {
    const permissions = enforcementTeam('330381001');
    const result = await graphql({
      schema: applyPermissions(schema, places),
      source: '{ penalties { decisionNo executionStatus } }',
      contextValue: { permissions },
    });
    expect(result.data).toEqual({
      penalties: [
        { decisionNo: 'P-A', executionStatus: 'status-of-A' },
        { decisionNo: 'P-B', executionStatus: null },
      ],
    });
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions['rule']])).toEqual([
      ['penalties.1.executionStatus', 'purpose-required'],
    ]);
    expect(permissions.returnedConditional).toEqual(new Set(['Penalty.executionStatus']));
    expect(permissions.denied).toEqual(new Set(['Penalty.executionStatus']));
  });

  it('opens it on every row to the county, whose jurisdiction covers the served area, without placing any', async () => {
    let placed = 0;
    const counting: RowPlaces<unknown> = {
      confined: [],
      placed: { Penalty: (row) => ((placed += 1), (row as (typeof rows)[number]).township) },
    };
    const result = await graphql({
      schema: applyPermissions(schema, counting),
      source: '{ penalties { executionStatus } }',
      contextValue: { permissions: enforcementTeam('330381') },
    });
    expect(result).toEqual({
      data: { penalties: [{ executionStatus: 'status-of-A' }, { executionStatus: 'status-of-B' }] },
    });
    expect(placed).toBe(0);
  });

  it('never opens a field of a record type without a declared place to a township team, and still to the county', async () => {
    const township = await graphql({
      schema: applyPermissions(schema, places),
      source: '{ notes { text } }',
      contextValue: { permissions: enforcementTeam('330381001') },
    });
    expect(township.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Note.text' });
    const county = await graphql({
      schema: applyPermissions(schema, places),
      source: '{ notes { text } }',
      contextValue: { permissions: enforcementTeam('330381') },
    });
    expect(county).toEqual({ data: { notes: [{ text: 'note-text' }] } });
  });
});

describe("the gateway's record types", () => {
  it('declare where the rows of every field owner standing opens lie: confined by the loaders, or placed', () => {
    const gateway = buildSchema();
    const unplaced = [...readSharingDeclarations(gateway).declarations.values()]
      .filter(ownerOpens)
      .filter((declaration) => placingOf(gateway, declaration, ROW_PLACES).by === 'unplaced')
      .map((declaration) => declaration.coordinate);
    expect(unplaced).toEqual([]);
  });

  it('place penalties, legal representatives and credit records per row, and nothing confined among them', () => {
    expect(Object.keys(ROW_PLACES.placed).sort()).toEqual(['CreditRecord', 'LegalRepresentative', 'Penalty']);
    for (const type of Object.keys(ROW_PLACES.placed)) expect(ROW_PLACES.confined).not.toContain(type);
  });
});
