import {
  getNamedType,
  isObjectType,
  Kind,
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { compileQuery, type CompiledQuery } from 'graphql-jit';
import { PAGE_RECORD_FIELDS, pageRecordsWanted } from './page-records.ts';
import { Subject as subjectResolvers } from './subject.ts';

const PAGE_FIELDS: ReadonlySet<string> = new Set(Object.values(PAGE_RECORD_FIELDS).flat());

/**
 * Compiles an operation with graphql-jit, reading the page records' fields straight from the rows
 * of a `subjects` page when that is the only place the operation selects them. jit turns a field
 * with a resolver into three closures, a resolve info and a path on every call, answered at once
 * or not: on a page of 100 subjects, about a fifth of what the gateway allocated for the large
 * list (bench/notes/largelist2.md). A page's rows carry each of these fields' answer under its
 * own name (page-records.ts), the value or the error the resolver would have thrown, which jit
 * reports as graphql-js does a resolver's error (same message, path and original error).
 *
 * Only when every selection of those fields is on such rows (the page's own rule, applied to the
 * same field nodes, decides it at run time as it does here), and only the subjects module's own
 * resolvers are set aside: a resolver some other layer put in their place stays.
 */
export function compileReadingPageRows(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  operation: OperationDefinitionNode,
): CompiledQuery | ExecutionResult {
  const subject = schema.getType('Subject');
  if (!isObjectType(subject) || !pageFieldsOnlyOnPageRows(schema, document, operation)) {
    return compileQuery(schema, document, operationName);
  }
  const fields = subject.getFields();
  const own = [...PAGE_FIELDS].flatMap((name) => {
    const field = fields[name];
    return field?.resolve && isOwnResolver(field.resolve, name) ? [field] : [];
  });
  if (own.length !== PAGE_FIELDS.size) return compileQuery(schema, document, operationName);
  // jit reads a field's resolver only while it compiles, which is synchronous: nothing else runs
  // before they are back.
  const resolvers = own.map((field) => field.resolve);
  for (const field of own) field.resolve = undefined;
  try {
    return compileQuery(schema, document, operationName);
  } finally {
    own.forEach((field, i) => (field.resolve = resolvers[i]));
  }
}

/**
 * Whether the field's resolver is the subjects module's own: @graphql-tools binds each resolver to
 * its type's resolver map, so its own is `bound kind`; a wrapper some layer put around it (the
 * permission layer's, for a gated field) is named otherwise.
 */
function isOwnResolver(resolve: (...args: never[]) => unknown, name: string): boolean {
  return name in subjectResolvers && resolve.name === `bound ${name}`;
}

/** Whether the operation reads a page's rows and selects the page records' fields nowhere else. */
function pageFieldsOnlyOnPageRows(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): boolean {
  const query = schema.getQueryType();
  if (!query || operation.operation !== 'query') return false;
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  // The top-level fields by response name, as the executor hands `subjects` its field nodes.
  const byResponseName = new Map<string, FieldNode[]>();
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return false;
    const name = selection.alias?.value ?? selection.name.value;
    byResponseName.set(name, [...(byResponseName.get(name) ?? []), selection]);
  }
  let readsPageRows = false;
  for (const fieldNodes of byResponseName.values()) {
    const definition = query.getFields()[fieldNodes[0]!.name.value];
    if (!definition) return false;
    const page = definition.name === 'subjects' && pageRecordsWanted({ schema, fragments, fieldNodes }) !== null;
    readsPageRows ||= page;
    const type = getNamedType(definition.type);
    for (const node of fieldNodes) {
      if (!onlyOnRows(schema, fragments, type, node.selectionSet, page ? 'page' : 'elsewhere')) return false;
    }
  }
  return readsPageRows;
}

/** Where a selection set is: on a page whose rows carry their records, on those rows, or elsewhere. */
type Place = 'page' | 'rows' | 'elsewhere';

function onlyOnRows(
  schema: GraphQLSchema,
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLNamedType,
  set: SelectionSetNode | undefined,
  place: Place,
): boolean {
  for (const selection of set?.selections ?? []) {
    if (selection.directives?.length) return false;
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name.startsWith('__')) continue;
      // Fields of an interface or union may be a Subject's: not worth following.
      if (!isObjectType(type)) return false;
      const definition = type.getFields()[name];
      if (!definition) return false;
      if (type.name === 'Subject' && PAGE_FIELDS.has(name) && place !== 'rows') return false;
      const next: Place = place === 'page' && name === 'nodes' ? 'rows' : 'elsewhere';
      if (!onlyOnRows(schema, fragments, getNamedType(definition.type), selection.selectionSet, next)) return false;
    } else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : fragments[selection.name.value];
      if (!fragment) return false;
      const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
      if (!condition || !onlyOnRows(schema, fragments, condition, fragment.selectionSet, place)) return false;
    }
  }
  return true;
}
