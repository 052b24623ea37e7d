import {
  buildASTSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  type GraphQLSchema,
  type GraphQLType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadTypeDefs } from '../../src/schema.ts';

/** The type a field or argument finally names, under any list and non-null wrappers. */
const namedTypeOf = (type: GraphQLType): string => getNamedType(type).name;

const schema: GraphQLSchema = buildASTSchema(parse(loadTypeDefs().join('\n')));
const ownTypes = Object.values(schema.getTypeMap()).filter(
  (type) => !type.name.startsWith('__') && !['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name),
);

/** Every place in the schema a description belongs, with a readable name. */
function describedPlaces(): Array<{ place: string; description: string | null | undefined }> {
  const places: Array<{ place: string; description: string | null | undefined }> = [];
  for (const type of ownTypes) {
    places.push({ place: type.name, description: type.description });
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        places.push({ place: `${type.name}.${field.name}`, description: field.description });
        for (const arg of 'args' in field ? field.args : []) {
          // Arguments are explained in their field's description when not on their own.
          places.push({
            place: `${type.name}.${field.name}(${arg.name})`,
            description: arg.description ?? field.description,
          });
        }
      }
    }
    if (isEnumType(type)) {
      for (const value of type.getValues())
        places.push({ place: `${type.name}.${value.name}`, description: value.description });
    }
  }
  return places;
}

describe('the unified schema', () => {
  it('documents every type, field, argument and enum value', () => {
    const undocumented = describedPlaces()
      .filter(({ description }) => !description || description.trim().length < 3)
      .map(({ place }) => place);
    expect(undocumented).toEqual([]);
  });

  it('never uses a float, so amounts and codes stay exact', () => {
    const floats: string[] = [];
    for (const type of ownTypes) {
      if (!(isObjectType(type) || isInputObjectType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        if (namedTypeOf(field.type) === 'Float') floats.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (namedTypeOf(arg.type) === 'Float') floats.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    expect(floats).toEqual([]);
  });

  it('links the loop both ways: permit → inspections → clues → case → penalties → credit records, and back', () => {
    const link = (type: string, field: string) => {
      const object = schema.getType(type);
      if (!isObjectType(object)) throw new Error(`${type} is not an object type`);
      const linked = object.getFields()[field];
      return linked ? namedTypeOf(linked.type) : undefined;
    };
    expect([
      link('Permit', 'inspections'),
      link('Inspection', 'clues'),
      link('Clue', 'case'),
      link('Case', 'penalties'),
      link('Penalty', 'creditRecords'),
    ]).toEqual(['Inspection', 'Clue', 'Case', 'Penalty', 'CreditRecord']);
    expect([
      link('CreditRecord', 'penalty'),
      link('Penalty', 'case'),
      link('Case', 'clue'),
      link('Clue', 'inspection'),
      link('Inspection', 'permit'),
      link('Penalty', 'affectedPermit'),
    ]).toEqual(['Penalty', 'Case', 'Clue', 'Inspection', 'Permit', 'Permit']);
  });
});
