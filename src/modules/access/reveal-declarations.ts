import { getDirectiveValues, getNamedType, isEnumType, isObjectType, type GraphQLSchema } from 'graphql';

/**
 * Enums whose values name kinds of derived output: what the gateway assembles from several
 * records rather than copies from one field. Each value declares with `@reveals` the source
 * fields it shows.
 */
export const DERIVED_KIND_ENUMS = ['TimelineEventKind', 'LoopGapKind', 'LoopRecordKind', 'LoopEventKind'] as const;

/**
 * Object types holding figures the gateway computes (assessment). Each numeric field declares
 * with `@reveals` the source fields it is computed from.
 */
export const DERIVED_FIGURE_TYPES = [
  'AuthorityPerformance',
  'StepDurations',
  'TownshipPowerUse',
  'PowerItemUse',
] as const;

const NUMERIC = new Set(['Int', 'Float', 'Decimal', 'BigInt']);

/** Derived outputs (`Enum.VALUE` or `Type.field`) and the source coordinates each reveals. */
export type RevealDeclarations = ReadonlyMap<string, readonly string[]>;

/**
 * Reads every `@reveals` declaration of the schema, and names the derived outputs that lack one
 * (a value of a derived-kind enum, a numeric field of a figure type): those are refused to
 * every caller, and a test names them.
 */
export function readRevealDeclarations(schema: GraphQLSchema): {
  reveals: Map<string, readonly string[]>;
  missing: string[];
} {
  const directive = schema.getDirective('reveals');
  // A schema without the directive declares nothing: every derived output in it is refused.
  if (!directive) return { reveals: new Map(), missing: ['@reveals'] };
  const reveals = new Map<string, readonly string[]>();
  const missing: string[] = [];
  const read = (
    coordinate: string,
    node: Parameters<typeof getDirectiveValues>[1] | undefined | null,
    required: boolean,
  ) => {
    const values = node ? getDirectiveValues(directive, node) : undefined;
    const fields = values?.['fields'];
    if (Array.isArray(fields)) reveals.set(coordinate, fields.map(String));
    else if (required) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const derivedEnum = (DERIVED_KIND_ENUMS as readonly string[]).includes(type.name);
    if (isEnumType(type))
      for (const value of type.getValues()) read(`${type.name}.${value.name}`, value.astNode, derivedEnum);
    if (isObjectType(type)) {
      const figures = (DERIVED_FIGURE_TYPES as readonly string[]).includes(type.name);
      for (const field of Object.values(type.getFields())) {
        read(`${type.name}.${field.name}`, field.astNode, figures && NUMERIC.has(getNamedType(field.type).name));
      }
    }
  }
  for (const name of [...DERIVED_KIND_ENUMS, ...DERIVED_FIGURE_TYPES]) {
    if (!schema.getType(name)) missing.push(name);
  }
  return { reveals, missing };
}

const read = new WeakMap<GraphQLSchema, RevealDeclarations>();

/** The schema's reveal declarations, read once per schema object (the SDL does not change while it runs). */
export function revealDeclarationsOf(schema: GraphQLSchema): RevealDeclarations {
  let reveals = read.get(schema);
  if (!reveals) {
    reveals = readRevealDeclarations(schema).reveals;
    read.set(schema, reveals);
  }
  return reveals;
}
