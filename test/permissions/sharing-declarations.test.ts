import { buildASTSchema, getNamedType, isNonNullType, isObjectType, parse, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { loadTypeDefs } from '../../src/schema.ts';

const schema = buildASTSchema(parse(loadTypeDefs().join('\n')));
const { declarations, missing } = readSharingDeclarations(schema);
const all = [...declarations.values()];

/**
 * Every pair of fields linking two record types each way (`Inspection.clues` and
 * `Clue.inspection`): one fact, the link, read from either end.
 */
function linksBothWays(of: GraphQLSchema): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const type of Object.values(of.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || type === of.getQueryType()) continue;
    for (const field of Object.values(type.getFields())) {
      const target = getNamedType(field.type);
      if (!isObjectType(target) || target === type || target.name > type.name) continue;
      for (const back of Object.values(target.getFields())) {
        if (getNamedType(back.type) === type) pairs.push([`${type.name}.${field.name}`, `${target.name}.${back.name}`]);
      }
    }
  }
  return pairs;
}

/** What decides a read of the field: its class, and for a field not shared with all, its owner and whether it is personal. */
function decidedBy(coordinate: string): string {
  const declaration = declarations.get(coordinate);
  if (!declaration) return 'undeclared';
  if (declaration.sharingClass === 'UNCONDITIONAL') return 'UNCONDITIONAL';
  return `${declaration.sharingClass} ${declaration.owner} personal=${declaration.personal}`;
}

describe('the sharing declarations in the schema', () => {
  it('give every field of every object type a sharing class', () => {
    expect(missing).toEqual([]);
    expect(declarations.size).toBeGreaterThan(150);
  });

  it('name the owning agency and the condition of every conditional field', () => {
    const incomplete = all.filter((d) => d.sharingClass === 'CONDITIONAL' && (d.owner === null || !d.condition));
    expect(incomplete.map((d) => d.coordinate)).toEqual([]);
  });

  it('name the owning agency of every field that is not shared', () => {
    expect(all.filter((d) => d.sharingClass === 'NOT_SHARED' && d.owner === null).map((d) => d.coordinate)).toEqual([]);
  });

  it('never share personal information unconditionally', () => {
    expect(all.filter((d) => d.personal && d.sharingClass === 'UNCONDITIONAL').map((d) => d.coordinate)).toEqual([]);
  });

  it('decide a link between two record types alike from either end, so that neither end opens what the other refuses', () => {
    const pairs = linksBothWays(schema);
    expect(pairs).toContainEqual(['Inspection.clues', 'Clue.inspection']);
    const unalike = pairs
      .filter(([one, other]) => decidedBy(one) !== decidedBy(other))
      .map(([one, other]) => `${one} (${decidedBy(one)}) and ${other} (${decidedBy(other)})`);
    expect(unalike).toEqual([]);
  });

  it('leave every field a rule can refuse nullable, so that a refusal nulls that field alone and the rest of the answer stands', () => {
    const refusableNonNull: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      // A mutation with a refused part is refused whole, before it runs (mutation-all-or-nothing).
      if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getMutationType()) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        const directives = (field.astNode?.directives ?? []).map((directive) => directive.name.value);
        const refusable =
          decidedBy(coordinate) !== 'UNCONDITIONAL' ||
          directives.includes('requiresRole') ||
          directives.includes('reveals');
        if (refusable && isNonNullType(field.type)) refusableNonNull.push(coordinate);
      }
    }
    expect(refusableNonNull).toEqual([]);
  });

  it('keep informants inside the enforcement system', () => {
    for (const coordinate of ['Clue.informant', 'Informant.name', 'Informant.phone']) {
      expect(declarations.get(coordinate)).toMatchObject({
        sharingClass: 'NOT_SHARED',
        owner: 'enforcement',
        personal: true,
      });
    }
  });

  it('mark identity numbers and phone numbers of legal representatives as personal and conditional', () => {
    for (const coordinate of ['LegalRepresentative.idNumber', 'LegalRepresentative.phone']) {
      expect(declarations.get(coordinate)).toMatchObject({
        sharingClass: 'CONDITIONAL',
        owner: 'approval',
        personal: true,
      });
    }
  });
});
