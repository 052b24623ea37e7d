import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { BIDI_MARK } from '../domain/matter-reference.ts';
import { BadUserInputError } from '../platform/errors.ts';
import { CONTROL_CHARACTER, LONE_SURROGATE } from '../platform/unstorable-text.ts';

/**
 * The longest string any argument takes, in characters (code points): a transfer's findings. Each
 * field keeps its own, shorter, limit where it has one; this one holds for every argument the
 * schema has or will have, so no code, id or reason reaches a store, an agency or an error message
 * (which names what it refuses) at hundreds of kilobytes.
 */
export const MAX_STRING_ARGUMENT_LENGTH = 4000;

/**
 * The most items any list argument takes: the 500 deliveries or transfers one replay may name.
 * Fields keep their own, smaller, limits (200 credit checks); this one holds for every list the
 * schema has or will have, so no grant stores thousands of matters and no filter makes a store
 * query of a hundred thousand enum values out of one request.
 */
export const MAX_LIST_ARGUMENT_ITEMS = 500;

export type InputProblem =
  | {
      /** Where: `Type.field(argument.nested[0])`. */
      argument: string;
      reason: 'control_character' | 'ill_formed_unicode' | 'bidi_control';
      /** The offending UTF-16 code unit, `U+0000`. */
      character: string;
    }
  | { argument: string; reason: 'too_long'; length: number; limit: number }
  | { argument: string; reason: 'too_many_items'; items: number; limit: number };

/**
 * Refuses, with 400 BAD_USER_INPUT naming the argument, any operation whose string arguments
 * carry a C0 control character or ill-formed Unicode (a lone surrogate), and any mutation whose
 * string arguments carry a bidirectional mark (an override, embedding, isolate, LRM/RLM/ALM):
 * stored, such text shows its readers other text than the one stored (a case number reversed
 * into another), as the purpose header's rule says of matters; a read's filter may hold one,
 * since it stores nothing — inline literals and
 * variables alike, at any depth of input objects and lists. It runs once the operation is known
 * and before it executes, so no resolver, store or agency ever sees such a value: one check for
 * every argument the schema has or will have, instead of one per resolver.
 */
export function inputHygienePlugin(): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const stores = operation.operation === 'mutation';
          if (!mayCarryProblem(request.query, request.variables, stores) && !holdsLongListLiteral(document)) return;
          const problem = findInputProblem(schema, document, operation, request.variables ?? {});
          if (!problem) return;
          throw new BadUserInputError(describe(problem, stores), { ...problem, http: { status: 400 } });
        },
      };
    },
  };
}

function describe(problem: InputProblem, stores: boolean): string {
  switch (problem.reason) {
    case 'too_long':
      return `Argument ${problem.argument} is ${problem.length} characters long; no string argument may be longer than ${problem.limit}.`;
    case 'too_many_items':
      return `Argument ${problem.argument} has ${problem.items} items; no list argument may hold more than ${problem.limit}.`;
    default:
      return `Argument ${problem.argument} contains ${WHAT[problem.reason](problem.character)}; only tab, line feed and carriage return are accepted among control characters${stores ? ', and no bidirectional marks in what a mutation stores' : ''}.`;
  }
}

const WHAT: Readonly<
  Record<Exclude<InputProblem['reason'], 'too_long' | 'too_many_items'>, (character: string) => string>
> = {
  control_character: (character) => `a control character (${character})`,
  ill_formed_unicode: (character) => `ill-formed Unicode (a lone surrogate ${character})`,
  bidi_control: (character) => `a bidirectional mark (${character})`,
};

/**
 * A cheap look at the raw request first, so the usual request skips the walk over its document:
 * only a query text with such a character, a `\\u` escape or a surrogate, or variables whose
 * JSON shows one escaped (JSON.stringify writes control characters as `\\u00xx`, `\\b`, `\\f`,
 * and lone surrogates as `\\udxxx`), can carry a problem. False alarms only cost the walk.
 */
function mayCarryProblem(
  query: string | undefined,
  variables: Readonly<Record<string, unknown>> | undefined,
  stores: boolean,
): boolean {
  if (query === undefined || CONTROL_CHARACTER.test(query) || /\\u|[\uD800-\uDFFF]/.test(query)) return true;
  if (query.length > MAX_STRING_ARGUMENT_LENGTH && (LONG_STRING_LITERAL.test(query) || query.includes('"""')))
    return true;
  if (variables !== undefined && holdsOversizedValue(variables)) return true;
  if (stores && BIDI_MARK.test(query)) return true;
  if (variables === undefined) return false;
  // JSON.stringify writes bidirectional marks as they are, unescaped.
  const json = JSON.stringify(variables);
  return /\\u(00[01]|d[89a-f])|\\[bf]/i.test(json) || (stores && BIDI_MARK.test(json));
}

/**
 * A string literal of more than the limit's UTF-16 units, an escape counted as one unit: a value
 * of more characters has at least as many. A block string may hold single quotes, so a long
 * document holding one is walked whatever this says.
 */
const LONG_STRING_LITERAL = new RegExp(`"(?:[^"\\\\]|\\\\[^]){${MAX_STRING_ARGUMENT_LENGTH + 1},}`);

/**
 * Whether any string in the variables is longer than the limit in UTF-16 units (at least its
 * characters), or any list holds more items than the list limit.
 */
function holdsOversizedValue(value: unknown): boolean {
  if (typeof value === 'string') return value.length > MAX_STRING_ARGUMENT_LENGTH;
  if (Array.isArray(value)) return value.length > MAX_LIST_ARGUMENT_ITEMS || value.some(holdsOversizedValue);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsOversizedValue);
  return false;
}

/**
 * Whether the document holds a list literal of more items than the list limit. Worked out once per
 * document: Apollo hands every request with the same text the same parsed document.
 */
function holdsLongListLiteral(document: DocumentNode): boolean {
  let found = longListLiterals.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      ListValue(node) {
        if (node.values.length > MAX_LIST_ARGUMENT_ITEMS) found = true;
      },
    });
    longListLiterals.set(document, found);
  }
  return found;
}

const longListLiterals = new WeakMap<DocumentNode, boolean>();

/** The first string argument value of the operation (with its variables coerced) that is unacceptable; bidirectional marks only in a mutation's. */
export function findInputProblem(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): InputProblem | null {
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  // Variables that do not coerce are refused by execution itself, with its own message.
  if (coerced.errors) return null;
  const fragments = document.definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION);
  const refuseBidi = operation.operation === 'mutation';
  let found: InputProblem | null = null;
  for (const root of [operation, ...fragments]) {
    const typeInfo = new TypeInfo(schema);
    visit(
      root,
      visitWithTypeInfo(typeInfo, {
        Field(node) {
          const field = typeInfo.getFieldDef();
          const parent = typeInfo.getParentType();
          if (found || !field || !parent || !node.arguments?.length) return;
          let values: Record<string, unknown>;
          try {
            values = getArgumentValues(field, node, coerced.coerced);
          } catch {
            return; // an argument execution will refuse anyway
          }
          for (const [name, value] of Object.entries(values)) {
            found ??= problemIn(value, `${parent.name}.${field.name}(${name}`, refuseBidi);
          }
        },
      }),
    );
    if (found) return found;
  }
  return null;
}

function problemIn(value: unknown, path: string, refuseBidi: boolean): InputProblem | null {
  if (typeof value === 'string') {
    const length = value.length > MAX_STRING_ARGUMENT_LENGTH ? [...value].length : 0;
    if (length > MAX_STRING_ARGUMENT_LENGTH)
      return { argument: `${path})`, reason: 'too_long', length, limit: MAX_STRING_ARGUMENT_LENGTH };
    const control = CONTROL_CHARACTER.exec(value) ?? null;
    if (control) return { argument: `${path})`, reason: 'control_character', character: codePoint(control[0]) };
    const surrogate = LONE_SURROGATE.exec(value) ?? null;
    if (surrogate) return { argument: `${path})`, reason: 'ill_formed_unicode', character: codePoint(surrogate[0]) };
    const bidi = refuseBidi ? BIDI_MARK.exec(value) : null;
    return bidi ? { argument: `${path})`, reason: 'bidi_control', character: codePoint(bidi[0]) } : null;
  }
  if (Array.isArray(value)) {
    if (value.length > MAX_LIST_ARGUMENT_ITEMS)
      return { argument: `${path})`, reason: 'too_many_items', items: value.length, limit: MAX_LIST_ARGUMENT_ITEMS };
    for (const [index, item] of value.entries()) {
      const problem = problemIn(item, `${path}[${index}]`, refuseBidi);
      if (problem) return problem;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const problem = problemIn(inner, `${path}.${key}`, refuseBidi);
      if (problem) return problem;
    }
  }
  return null;
}

function codePoint(character: string): string {
  return `U+${character.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}
