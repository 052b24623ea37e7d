import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../src/auth/principal.ts';
import { applyPermissions, isUngated } from '../../src/modules/access/permission-layer.ts';
import { ReadableTypes } from '../../src/modules/access/readable-types.ts';
import { RequestPermissions } from '../../src/modules/access/request-permissions.ts';
import { readRevealDeclarations } from '../../src/modules/access/reveal-declarations.ts';
import { readRoleRequirements } from '../../src/modules/access/role-requirements.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { REQUIRES_ROLE_DIRECTIVE, SHARE_DIRECTIVE } from './sharing-directives.ts';

/** Notes have one personal conditional field; memos one field for auditors; a vault holds only a memo. */
const typeDefs = /* GraphQL */ `
  ${SHARE_DIRECTIVE}
  ${REQUIRES_ROLE_DIRECTIVE}
  type Query {
    note(id: ID!): Note @share(class: UNCONDITIONAL)
    memo(id: ID!): Memo @share(class: UNCONDITIONAL)
    memos: [Memo!]! @share(class: UNCONDITIONAL)
    pinned: Memo! @share(class: UNCONDITIONAL)
    vault: Vault @share(class: UNCONDITIONAL)
    entry: Entry @share(class: UNCONDITIONAL)
    permit: Permit @share(class: UNCONDITIONAL)
  }
  type Note {
    holder: String @share(class: CONDITIONAL, owner: APPROVAL, personal: true, condition: "identity")
  }
  type Memo {
    text: String @share(class: UNCONDITIONAL) @requiresRole(role: "AUDITOR")
  }
  type Vault {
    memo: Memo @share(class: UNCONDITIONAL)
  }
  union Entry = Note | Memo
  type Permit {
    permitNo: String @share(class: UNCONDITIONAL)
    memo: Memo @share(class: UNCONDITIONAL)
  }
`;
let memosFetched = 0;
const schema = makeExecutableSchema({
  typeDefs,
  resolvers: {
    Query: {
      memo: () => {
        memosFetched += 1;
        return { text: 'hidden-memo' };
      },
    },
  },
});
const { declarations } = readSharingDeclarations(schema);
const roles = readRoleRequirements(schema);
const { reveals } = readRevealDeclarations(schema);
const readable = new ReadableTypes(
  schema,
  (coordinate) => isUngated(coordinate, declarations, roles, reveals),
  roles,
  reveals,
);

function supervisionOfficer(purpose: string | null, held: Role[] = ['OFFICER']): RequestPermissions {
  const principal: Principal = {
    subject: 'u1',
    issuer: 'https://idp.example',
    kind: 'PERSON',
    authorityCode: '330381-SCJGJ',
    authorityKind: 'INDUSTRY_DEPARTMENT',
    jurisdictionCode: '330381',
    roles: held,
    purpose: null,
  };
  return new RequestPermissions(
    { principal, purpose, grantedFields: new Map(), reachesServedArea: true, coversServedArea: true },
    declarations,
  );
}

describe('record types a caller may read nothing of', () => {
  it('guard every field returning only such types, a list or a union of them too, but not a non-null single one', () => {
    expect([...readable.guarded.keys()].sort()).toEqual([
      'Permit.memo',
      'Query.entry',
      'Query.memo',
      'Query.memos',
      'Query.note',
      'Query.vault',
      'Vault.memo',
    ]);
  });

  it('count a field shown masked as readable, and a field refused for want of a purpose as not', () => {
    expect(readable.mayReadSomethingOf(supervisionOfficer('M-1'), ['Note'])).toBe(true);
    expect(readable.mayReadSomethingOf(supervisionOfficer(null), ['Note'])).toBe(false);
  });

  it('count a role-gated field as readable only with the role, and a type holding only such a record with it', () => {
    expect(readable.mayReadSomethingOf(supervisionOfficer('M-1'), ['Memo'])).toBe(false);
    expect(readable.mayReadSomethingOf(supervisionOfficer('M-1'), ['Vault'])).toBe(false);
    expect(readable.mayReadSomethingOf(supervisionOfficer('M-1', ['AUDITOR']), ['Memo'])).toBe(true);
    expect(readable.mayReadSomethingOf(supervisionOfficer('M-1', ['AUDITOR']), ['Vault'])).toBe(true);
  });

  it('are decided without recording a read or a denial', () => {
    const permissions = supervisionOfficer('M-1');
    readable.mayReadSomethingOf(permissions, ['Note', 'Memo', 'Vault']);
    expect([...permissions.denied, ...permissions.returnedConditional, ...permissions.returnedNotShared]).toEqual([]);
  });

  it('are refused before the resolver runs, recording only the refused field as denied', async () => {
    const permissions = supervisionOfficer('M-1');
    const before = memosFetched;
    const result = await graphql({
      schema: applyPermissions(schema),
      source: '{ memo(id: "1") { __typename } }',
      contextValue: { permissions },
    });
    expect(result.data).toEqual({ memo: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      rule: 'nothing-readable',
      field: 'Query.memo',
    });
    expect(memosFetched).toBe(before);
    expect([...permissions.denied]).toEqual(['Query.memo']);
  });

  it('answer the record to a caller who may read one of its fields', async () => {
    const result = await graphql({
      schema: applyPermissions(schema),
      source: '{ memo(id: "1") { text } }',
      contextValue: { permissions: supervisionOfficer('M-1', ['AUDITOR']) },
    });
    expect(result).toEqual({ data: { memo: { text: 'hidden-memo' } } });
  });
});
