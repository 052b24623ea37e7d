import {
  getNamedType,
  GraphQLError,
  isInputObjectType,
  isObjectType,
  isInterfaceType,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql';
import { PAGE_SIZES, type PagedList } from './page-size.ts';

/** Linear cost: objects 2, scalars 1, a paged list's subtree times its page size. */
const OBJECT_COST = 2;
const SCALAR_COST = 1;

/** Where a paged field reads its page size: its own `first`, or `first` inside one input argument. */
interface PagedField {
  list: PagedList;
  /** The input-object argument holding `first` (`transfers(filter: { first })`); null for a `first` argument. */
  inside: string | null;
}

const pagedFieldsBySchema = new WeakMap<GraphQLSchema, ReadonlyMap<string, PagedField>>();

/**
 * Every field of the schema that takes a page size (`first`, or `first` within an input argument),
 * by its coordinate, with the list of PAGE_SIZES it is. Throws for a paged field that table does
 * not name: its pages could not be counted, so the gateway refuses to start rather than let them
 * through at a cost of one.
 */
export function pagedFieldsOf(schema: GraphQLSchema): ReadonlyMap<string, PagedField> {
  const known = pagedFieldsBySchema.get(schema);
  if (known) return known;
  const found = new Map<string, PagedField>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      const inside = pageSizeArgument(field);
      if (inside === undefined) continue;
      const coordinate = `${type.name}.${field.name}`;
      if (!(field.name in PAGE_SIZES)) {
        throw new Error(`${coordinate} takes a page size ("first") but PAGE_SIZES names no list "${field.name}"`);
      }
      found.set(coordinate, { list: field.name as PagedList, inside });
    }
  }
  pagedFieldsBySchema.set(schema, found);
  return found;
}

/** Null for a `first` argument, the argument's name for `first` inside an input object, undefined for neither. */
function pageSizeArgument(field: GraphQLField<unknown, unknown>): string | null | undefined {
  if (field.args.some((arg) => arg.name === 'first')) return null;
  const holder = field.args.find((arg) => {
    const type = getNamedType(arg.type);
    return isInputObjectType(type) && 'first' in type.getFields();
  });
  return holder?.name;
}

/**
 * Refuses an operation whose cost is over `maxCost`: fields asked for (objects 2, scalars 1), a
 * paged list's subtree counted once per row of its page. The page is the literal `first` given;
 * a `first` given by a variable counts as the largest page its list answers (validation sees no
 * variables, and a variable could name it), an absent one as the list's default page. So a
 * document cannot lower its cost by moving its page size into a variable or leaving it out.
 * (graphql-armor's cost rule, which this replaced, counted both as a page of one.) Fragments are
 * counted where they are spread; `__schema` costs nothing.
 */
export function queryCostRule(maxCost: number, onReject: (context: ValidationContext, error: GraphQLError) => void) {
  return (context: ValidationContext): ASTVisitor => {
    const schema = context.getSchema();
    const paged = pagedFieldsOf(schema);
    const fragmentCosts = new Map<string, number>();

    const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLNamedType | undefined): number => {
      let cost = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) cost += fieldCost(selection, parent);
        else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          cost += selectionCost(selection.selectionSet, on ?? undefined);
        } else cost += fragmentCost(selection.name.value);
      }
      return cost;
    };

    const fragmentCost = (name: string): number => {
      const counted = fragmentCosts.get(name);
      // A fragment being counted (a cycle, which validation refuses anyway) adds nothing more.
      if (counted !== undefined) return counted;
      const fragment = context.getFragment(name);
      if (!fragment) return 0;
      fragmentCosts.set(name, 0);
      const cost = selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value) ?? undefined);
      fragmentCosts.set(name, cost);
      return cost;
    };

    const fieldCost = (node: FieldNode, parent: GraphQLNamedType | undefined): number => {
      const name = node.name.value;
      if (name === '__schema') return 0;
      if (!node.selectionSet) return SCALAR_COST;
      const definition =
        parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[name] : undefined;
      const pagedField = parent && paged.get(`${parent.name}.${name}`);
      const rows = pagedField ? pageRows(node, pagedField) : 1;
      const type = definition
        ? getNamedType(definition.type)
        : name === '__type'
          ? schema.getType('__Type')
          : undefined;
      return (OBJECT_COST + selectionCost(node.selectionSet, type ?? undefined)) * rows;
    };

    return {
      OperationDefinition: {
        enter(operation) {
          const root = schema.getRootType(operation.operation);
          const cost = selectionCost(operation.selectionSet, root ?? undefined);
          if (cost > maxCost) {
            onReject(context, new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`));
          }
        },
      },
    };
  };
}

/** How many rows a paged field's page may hold, as far as the document tells. */
function pageRows(node: FieldNode, field: PagedField): number {
  const { default: fallback, max } = PAGE_SIZES[field.list];
  let value: ValueNode | undefined;
  if (field.inside === null) value = argument(node, 'first');
  else {
    const holder = argument(node, field.inside);
    if (holder?.kind === Kind.VARIABLE) return max;
    if (holder?.kind === Kind.OBJECT) value = holder.fields.find((f) => f.name.value === 'first')?.value;
  }
  if (value === undefined || value.kind === Kind.NULL) return fallback;
  if (value.kind === Kind.INT) return Math.max(Number.parseInt(value.value, 10), 1);
  return max;
}

function argument(node: FieldNode, name: string): ValueNode | undefined {
  return node.arguments?.find((arg) => arg.name.value === name)?.value;
}
