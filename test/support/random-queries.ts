import {
  getNamedType,
  isCompositeType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * Random GraphQL operations over a schema, built from a stream of choices (non-negative
 * integers). A shorter stream, or smaller numbers in it, gives a smaller query, so a property
 * testing tool that shrinks the stream shrinks the query too.
 */

/** One field of the planned query, with what a checker needs to find it in the response. */
export interface PlannedField {
  /** The key it has in the response: its alias, or its name. */
  responseKey: string;
  /** `Type.field`, the parent type being the concrete object type. */
  coordinate: string;
  /** Whether the field's type is non-null (a null there nulls the parent). */
  nonNull: boolean;
  /** Set when the field sits in an inline fragment on one member of a union. */
  onlyOnType?: string;
  children: PlannedField[];
}

/** A root field to start from, with the argument the caller fills (`$<variable>`), if it takes one. */
export interface RootChoice {
  field: string;
  argument: string | null;
  argumentType: string;
  /** A string for an id, an object for an input type (a filter, a period). */
  value: unknown;
}

export interface PlannedQuery {
  text: string;
  variables: Record<string, unknown>;
  roots: PlannedField[];
  aliases: number;
}

export interface QueryShape {
  /** Nesting of object fields below a root, at most. */
  maxDepth: number;
  maxAliases: number;
  /** Fields chosen per selection set, at most. */
  maxFieldsPerSelection: number;
  /** Fields (`Type.field`) to pick first half of the time, so rare paths are walked often. */
  prefer?: (coordinate: string) => boolean;
}

class ChoiceReader {
  #index = 0;
  constructor(private readonly choices: readonly number[]) {}

  /** A number in [0, n); 0 once the stream is exhausted, so the query stops growing. */
  next(n: number): number {
    if (n <= 1) return 0;
    const choice = this.choices[this.#index++];
    return choice === undefined ? 0 : choice % n;
  }
}

/** Builds one operation with the given roots, choosing selections from the choice stream. */
export function planQuery(
  schema: GraphQLSchema,
  roots: readonly RootChoice[],
  choices: readonly number[],
  shape: QueryShape,
): PlannedQuery {
  const reader = new ChoiceReader(choices);
  const fragments: string[] = [];
  const variables: Record<string, unknown> = {};
  const variableDefinitions: string[] = [];
  let aliasCount = 0;
  let nameCount = 0;
  const queryType = schema.getQueryType()!;

  const takeAlias = (): string | undefined => {
    if (aliasCount >= shape.maxAliases || reader.next(4) !== 1) return undefined;
    aliasCount += 1;
    return `a${++nameCount}`;
  };

  const selectableFields = (type: GraphQLObjectType, depth: number) =>
    Object.values(type.getFields()).filter(
      (field) =>
        !field.args.some((arg) => isNonNullType(arg.type) && arg.defaultValue === undefined) &&
        (isLeafType(getNamedType(field.type)) || depth < shape.maxDepth),
    );

  /** A selection set on an object type: its text and the fields planned in it. */
  const selectOn = (
    type: GraphQLObjectType,
    depth: number,
    onlyOnType?: string,
  ): { text: string; fields: PlannedField[] } => {
    const candidates = selectableFields(type, depth);
    if (candidates.length === 0) return { text: '__typename', fields: [] };
    const count = 1 + reader.next(Math.min(candidates.length, shape.maxFieldsPerSelection));
    const parts: string[] = [];
    const fields: PlannedField[] = [];
    const preferred = shape.prefer ? candidates.filter((f) => shape.prefer!(`${type.name}.${f.name}`)) : [];
    const remaining = preferred.length > 0 && reader.next(2) === 1 ? preferred : [...candidates];
    for (let i = 0; i < count && remaining.length > 0; i++) {
      const [field] = remaining.splice(reader.next(remaining.length), 1) as [GraphQLField<unknown, unknown>];
      const planned = planField(type, field, depth, takeAlias(), onlyOnType);
      parts.push(planned.text);
      fields.push(planned.field);
    }
    const body = parts.join(' ');
    switch (reader.next(6)) {
      case 1: {
        const name = `F${++nameCount}`;
        fragments.push(`fragment ${name} on ${type.name} { ${body} }`);
        return { text: `...${name}`, fields };
      }
      case 2:
        return { text: `... on ${type.name} { ${body} }`, fields };
      default:
        return { text: body, fields };
    }
  };

  const planField = (
    parent: GraphQLObjectType,
    field: GraphQLField<unknown, unknown>,
    depth: number,
    alias: string | undefined,
    onlyOnType: string | undefined,
    argumentsText = '',
  ): { text: string; field: PlannedField } => {
    const head = `${alias ? `${alias}: ` : ''}${field.name}${argumentsText}`;
    const planned: PlannedField = {
      responseKey: alias ?? field.name,
      coordinate: `${parent.name}.${field.name}`,
      nonNull: isNonNullType(field.type),
      ...(onlyOnType ? { onlyOnType } : {}),
      children: [],
    };
    const named = getNamedType(field.type);
    if (!isCompositeType(named)) return { text: head, field: planned };
    if (isObjectType(named)) {
      const inner = selectOn(named, depth + 1);
      planned.children = inner.fields;
      return { text: `${head} { ${inner.text} }`, field: planned };
    }
    // A union (or interface): one member type, told apart by __typename.
    const members = isUnionType(named) ? named.getTypes() : schema.getPossibleTypes(named);
    const member = members[reader.next(members.length)]!;
    const inner = selectOn(member, depth + 1, member.name);
    planned.children = inner.fields;
    const innerText = inner.text.startsWith('...') ? inner.text : `... on ${member.name} { ${inner.text} }`;
    return { text: `${head} { __typename ${innerText} }`, field: planned };
  };

  const plannedRoots = roots.map((root, i) => {
    const field = queryType.getFields()[root.field];
    if (!field) throw new Error(`Query.${root.field} is not in the schema`);
    // Several roots always get aliases, so two of the same field never clash.
    aliasCount += 1;
    if (root.argument === null) return planField(queryType, field, 0, `r${i}`, undefined);
    const variable = `v${i}`;
    variables[variable] = root.value;
    variableDefinitions.push(`$${variable}: ${root.argumentType}`);
    return planField(queryType, field, 0, `r${i}`, undefined, `(${root.argument}: $${variable})`);
  });

  const definitions = variableDefinitions.length > 0 ? `(${variableDefinitions.join(', ')})` : '';
  const text = [`query Random${definitions} { ${plannedRoots.map((r) => r.text).join(' ')} }`, ...fragments].join('\n');
  return { text, variables, roots: plannedRoots.map((r) => r.field), aliases: aliasCount };
}
