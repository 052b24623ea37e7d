import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  getEnterLeaveForKind,
  GraphQLError,
  GraphQLSchema,
  Kind,
  TypeInfo,
  ValidationContext,
  type ASTVisitor,
  type DocumentNode,
  type ValidationRule,
} from 'graphql';
import { pagedFieldsOf, queryCostRule } from './query-cost.ts';

/**
 * The schema links records both ways (permit → holder → permits → …), so without limits one
 * document could fan out to the agencies without bound. These graphql-armor rules refuse such
 * documents during validation, before any resolver or upstream call runs, and name the limit
 * so a caller can adapt.
 */
export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  /** Lexical tokens a document may have; graphql-js stops parsing past it, so a huge document costs little. */
  maxTokens: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = { maxDepth: 12, maxAliases: 20, maxCost: 20_000, maxTokens: 3_000 };

export function queryLimitRules(limits: QueryLimits): ValidationRule[] {
  const rules = armorRules(limits);
  // Checked once here, so a rule that watches more than operations stops the gateway at start-up.
  const empty = new GraphQLSchema({});
  const probe = new ValidationContext(empty, { kind: Kind.DOCUMENT, definitions: [] }, new TypeInfo(empty), () => {});
  for (const rule of rules) operationsOnly(rule(probe));
  return [limitsFirst(rules)];
}

/**
 * One rule that checks the limits before anything else looks at the document. On entering the
 * document it runs the limit rules alone (each measures an operation on entering it, by its own
 * walk); if any refuses, their errors are reported and the rest of the validation is handed an
 * empty document, so graphql-js's thirty-odd rules never walk the oversized one. Those rules,
 * run alongside, were most of the CPU of refusing a deep or wide document (about half a
 * millisecond for 40 levels; bench/RESULTS-fixedcost.notes.md). A document over a limit is
 * therefore answered with the limits it broke only, not with its other mistakes as well.
 */
function limitsFirst(rules: readonly ValidationRule[]): ValidationRule {
  return (context: ValidationContext): ASTVisitor => ({
    Document: {
      enter(document) {
        const refusals = refusalsOfOperations(context.getSchema(), document, rules);
        if (refusals.length === 0) return undefined;
        for (const refusal of refusals) context.reportError(refusal);
        // Replaces the document for the rest of this validation only (graphql-js visits the
        // returned node instead); the document itself is not changed.
        return { kind: Kind.DOCUMENT, definitions: [] };
      },
    },
  });
}

/**
 * The limit rules' refusals of a parsed document, as `limitsFirst` reports them during validation
 * (none when it is within every limit). For refusing such a document before Apollo's pipeline
 * (src/http/limit-refusal.ts): the same rules, measuring the same operations.
 */
export function limitRefusals(schema: GraphQLSchema, limits: QueryLimits): (document: DocumentNode) => GraphQLError[] {
  const rules = armorRules(limits);
  // At start: a paged field the page-size table does not name stops the gateway here.
  pagedFieldsOf(schema);
  return (document) => refusalsOfOperations(schema, document, rules);
}

/**
 * The limit rules' errors for a document. Each armor rule measures an operation when entering it,
 * following fragment spreads by name, and looks at nothing else, so it is handed each operation
 * rather than walked over every node of the document (which cost as much as the measuring).
 * Should a rule ever watch anything but operations, that would skip it silently: the gateway
 * refuses to start instead (`operationsOnly`, called by `queryLimitRules`).
 */
function refusalsOfOperations(
  schema: GraphQLSchema,
  document: DocumentNode,
  rules: readonly ValidationRule[],
): GraphQLError[] {
  const refusals: GraphQLError[] = [];
  const context = new ValidationContext(schema, document, new TypeInfo(schema), (error) => refusals.push(error));
  const enters = rules.map((rule) => operationsOnly(rule(context)));
  // armor builds an error of its own (stack captured) before `reportAsValidationError` replaces it.
  withoutStack(() => {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      for (const enter of enters) enter(definition, undefined, document, [], [document]);
    }
  });
  return refusals;
}

type OperationEnter = NonNullable<ReturnType<typeof getEnterLeaveForKind>['enter']>;

function operationsOnly(visitor: ASTVisitor): OperationEnter {
  for (const kind of Object.values(Kind)) {
    const { enter, leave } = getEnterLeaveForKind(visitor, kind);
    if (kind !== Kind.OPERATION_DEFINITION && (enter || leave)) {
      throw new Error(`a query limit rule watches ${kind} nodes; query-limits.ts hands it operations only`);
    }
  }
  const { enter, leave } = getEnterLeaveForKind(visitor, Kind.OPERATION_DEFINITION);
  if (!enter || leave) throw new Error('a query limit rule does not measure operations on entering them');
  return enter.bind(visitor) as OperationEnter;
}

/** The limit rules on their own, as they ran before `limitsFirst` (bench/validation-cost.ts compares the two). */
export function armorRules(limits: QueryLimits): ValidationRule[] {
  // By default armor throws, which Apollo answers as a 500; reported errors are a 400
  // GRAPHQL_VALIDATION_FAILED like any other invalid document.
  const report = { exposeLimits: true, propagateOnRejection: false, onReject: [reportAsValidationError] };
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    // Linear cost: fields asked for (objects 2, scalars 1) times a paged list's page size, the
    // largest when a variable gives it. The loaders batch each link into one upstream request per
    // depth level, so the agencies' load grows with the links selected and the rows answered, not
    // by armor's default factor of 1.5 per level, which refused the legitimate lifecycle query
    // (cost 66,000) at any sane limit.
    queryCostRule(limits.maxCost, reportAsValidationError),
    maxDirectivesRule({ n: 50, ...report }),
  ];
}

function reportAsValidationError(context: ValidationContext | null, error: GraphQLError): void {
  // armor builds its errors as syntax errors; the document is well-formed, only too large.
  context?.reportError(
    withoutStack(() => new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes })),
  );
}

/**
 * Apollo reads the stack of every validation error when it wraps it, and under tsx each frame of
 * a stack is looked up in the source maps: about a tenth of a refused document's CPU went there
 * (bench/RESULTS-fixedcost.notes.md). A refusal's stack points into graphql-js's visitor and
 * tells nobody anything, so it is captured with no frames.
 */
function withoutStack<T>(create: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
