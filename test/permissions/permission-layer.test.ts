import { makeExecutableSchema } from '@graphql-tools/schema';
import { graphql, isObjectType, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { applyPermissions, isUngated, leftUnwrapped } from '../../src/modules/access/permission-layer.ts';
import { ReadableTypes } from '../../src/modules/access/readable-types.ts';
import { RequestPermissions } from '../../src/modules/access/request-permissions.ts';
import { readRevealDeclarations } from '../../src/modules/access/reveal-declarations.ts';
import { readRoleRequirements } from '../../src/modules/access/role-requirements.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { buildSchema } from '../../src/schema.ts';
import { REQUIRES_ROLE_DIRECTIVE, SHARE_DIRECTIVE } from './sharing-directives.ts';

/** A schema small enough to see every case: fields with and without resolvers of their own. */
const typeDefs = /* GraphQL */ `
  ${SHARE_DIRECTIVE}
  ${REQUIRES_ROLE_DIRECTIVE}
  type Query {
    permit: Permit @share(class: UNCONDITIONAL)
    secret: String @share(class: UNCONDITIONAL) @requiresRole(role: "AUDITOR")
  }
  type Permit {
    permitNo: String @share(class: UNCONDITIONAL, owner: APPROVAL)
    holderName: String
    reviewNotes: String @share(class: NOT_SHARED, owner: APPROVAL)
    findings: String @share(class: CONDITIONAL, owner: SUPERVISION, condition: "supervision")
  }
`;
const upstream = {
  permitNo: 'XK-1',
  holderName: 'hidden-holder',
  reviewNotes: 'hidden-notes',
  findings: 'hidden-findings',
};
let fetchedPermits = 0;
const resolvers = {
  Query: {
    permit: () => {
      fetchedPermits += 1;
      return upstream;
    },
    secret: () => 'hidden-secret',
  },
};

function creditCentreOfficer(roles: Principal['roles'] = ['OFFICER']): RequestPermissions {
  const principal: Principal = {
    subject: 'u1',
    issuer: 'https://idp.example',
    kind: 'PERSON',
    authorityCode: '330381-XY',
    authorityKind: 'CREDIT_CENTRE',
    jurisdictionCode: '330381',
    roles,
    purpose: null,
  };
  return new RequestPermissions(
    { principal, purpose: 'M-1', grantedFields: new Map(), reachesServedArea: true, coversServedArea: true },
    readSharingDeclarations(small()).declarations,
  );
}

function small(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers });
}

describe('the permission layer over a schema', () => {
  it('still refuses fields that have no resolver of their own, when they are undeclared, not shared or conditional without a grant', async () => {
    const result = await graphql({
      schema: applyPermissions(small()),
      source: '{ permit { permitNo holderName reviewNotes findings } }',
      contextValue: { permissions: creditCentreOfficer() },
    });
    expect(result.data).toEqual({ permit: { permitNo: 'XK-1', holderName: null, reviewNotes: null, findings: null } });
    expect(JSON.stringify(result)).not.toMatch(/hidden/);
    const rules = Object.fromEntries(
      (result.errors ?? []).map((error) => [error.path?.join('.'), error.extensions['rule']]),
    );
    expect(rules).toEqual({
      'permit.holderName': 'undeclared',
      'permit.reviewNotes': 'not-shared',
      'permit.findings': 'no-grant',
    });
  });

  it('refuses a role-gated unconditional field to a caller without the role, before its resolver runs', async () => {
    const result = await graphql({
      schema: applyPermissions(small()),
      source: '{ secret }',
      contextValue: { permissions: creditCentreOfficer() },
    });
    expect(result.data).toEqual({ secret: null });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'role' });
    const allowed = await graphql({
      schema: applyPermissions(small()),
      source: '{ secret }',
      contextValue: { permissions: creditCentreOfficer(['AUDITOR']) },
    });
    expect(allowed).toEqual({ data: { secret: 'hidden-secret' } });
  });

  it('records a role-gated conditional field as denied, never as read under a grant, when the caller lacks the role', async () => {
    const schema = applyPermissions(
      makeExecutableSchema({
        typeDefs: typeDefs.replace(
          'findings: String @share(class: CONDITIONAL, owner: SUPERVISION, condition: "supervision")',
          'findings: String @share(class: CONDITIONAL, owner: SUPERVISION, condition: "supervision") @requiresRole(role: "AUDITOR")',
        ),
        resolvers,
      }),
    );
    const permissions = new RequestPermissions(
      {
        principal: creditCentreOfficer().standing.principal,
        purpose: 'M-1',
        grantedFields: new Map([['Permit.findings', 'grant-1']]),
        reachesServedArea: true,
      },
      readSharingDeclarations(schema).declarations,
    );
    const result = await graphql({ schema, source: '{ permit { findings } }', contextValue: { permissions } });
    expect(result.data).toEqual({ permit: { findings: null } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'role' });
    expect([...permissions.denied]).toEqual(['Permit.findings']);
    expect([...permissions.returnedConditional]).toEqual([]);
    expect([...permissions.readUnderGrant]).toEqual([]);
  });

  it('records a conditional figure refused for a source it reveals as that denial only, never as read under its grant', async () => {
    const schema = applyPermissions(
      makeExecutableSchema({
        typeDefs: `${typeDefs}
          directive @reveals(fields: [String!]!) on FIELD_DEFINITION | ENUM_VALUE
          extend type Permit {
            findingCount: Int
              @share(class: CONDITIONAL, owner: SUPERVISION, condition: "supervision")
              @reveals(fields: ["Permit.findings"])
          }`,
        resolvers: { ...resolvers, Permit: { findingCount: () => 1 } },
      }),
    );
    const permissions = new RequestPermissions(
      {
        principal: creditCentreOfficer().standing.principal,
        purpose: 'M-1',
        grantedFields: new Map([['Permit.findingCount', 'grant-1']]),
        reachesServedArea: true,
      },
      readSharingDeclarations(schema).declarations,
    );
    const result = await graphql({ schema, source: '{ permit { findingCount } }', contextValue: { permissions } });
    expect(result.data).toEqual({ permit: { findingCount: null } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'Permit.findings' });
    expect([...permissions.denied]).toEqual(['Permit.findings']);
    expect([...permissions.returnedConditional]).toEqual([]);
    expect([...permissions.readUnderGrant]).toEqual([]);
  });

  it('does not fetch a denied field that would fetch its own data', async () => {
    const schema = applyPermissions(
      makeExecutableSchema({
        typeDefs: typeDefs.replace(
          'permit: Permit @share(class: UNCONDITIONAL)',
          'permit: Permit @share(class: NOT_SHARED, owner: APPROVAL)',
        ),
        resolvers,
      }),
    );
    const before = fetchedPermits;
    const result = await graphql({
      schema,
      source: '{ permit { permitNo } }',
      contextValue: { permissions: creditCentreOfficer() },
    });
    expect(result.data).toEqual({ permit: null });
    expect(fetchedPermits).toBe(before);
  });

  it('gates the fields of the real schema returning only record types no field of which is open to every caller', () => {
    const plain = buildSchema();
    const { declarations } = readSharingDeclarations(plain);
    const roles = readRoleRequirements(plain);
    const { reveals } = readRevealDeclarations(plain);
    const unwrapped = leftUnwrapped(plain);
    const gatedNow: string[] = [];
    for (const type of Object.values(plain.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) {
        const coordinate = `${type.name}.${field}`;
        if (isUngated(coordinate, declarations, roles, reveals) && !unwrapped(coordinate)) gatedNow.push(coordinate);
      }
    }
    // Clue's fields are all conditional; AuthorityPerformance.averageWorkingDays is non-null, so not among them.
    expect(gatedNow).toEqual(['Query.clue']);
    const closed = new ReadableTypes(plain, (c) => isUngated(c, declarations, roles, reveals), roles, reveals);
    // Each refused while the caller may read nothing of a clue (or an informant); the lists per subject or inspection row.
    expect([...closed.guarded.keys()].sort()).toEqual([
      'Case.clue',
      'Clue.informant',
      'Inspection.clues',
      'Query.clue',
      'Subject.clues',
    ]);
  });

  it('leaves exactly the unconditional fields without a role or a reveal declaration, nor returning a closed record type, unwrapped, and wraps every other field of the real schema', () => {
    const plain = buildSchema();
    const permitted = applyPermissions(plain);
    const unwrappedField = leftUnwrapped(plain);
    const wrongly: string[] = [];
    let ungated = 0;
    for (const type of Object.values(plain.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const permittedType = permitted.getType(type.name);
      if (!isObjectType(permittedType)) throw new Error(`${type.name} is missing from the permitted schema`);
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const unwrapped = permittedType.getFields()[field.name]!.resolve === field.resolve;
        if (unwrappedField(coordinate)) ungated += 1;
        if (unwrapped !== unwrappedField(coordinate))
          wrongly.push(`${coordinate} ${unwrapped ? 'unwrapped' : 'wrapped'}`);
      }
    }
    expect(wrongly).toEqual([]);
    expect(ungated).toBeGreaterThan(100);
  });
});
