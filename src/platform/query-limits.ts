import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';

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
  // By default armor throws, which Apollo answers as a 500; reported errors are a 400
  // GRAPHQL_VALIDATION_FAILED like any other invalid document.
  const report = { exposeLimits: true, propagateOnRejection: false, onReject: [reportAsValidationError] };
  return [
    maxDepthRule({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...report }),
    maxAliasesRule({ n: limits.maxAliases, ...report }),
    // Linear cost: fields asked for (objects 2, scalars 1) times a literal `first` page size. The
    // loaders batch each link into one upstream request per depth level, so the agencies' load
    // grows with the links selected and the rows answered, not by armor's default factor of 1.5
    // per level, which refused the legitimate lifecycle query (cost 66,000) at any sane limit.
    costLimitRule({
      maxCost: limits.maxCost,
      depthCostFactor: 1,
      objectCost: 2,
      scalarCost: 1,
      ignoreIntrospection: true,
      ...report,
    }),
    maxDirectivesRule({ n: 50, ...report }),
  ];
}

function reportAsValidationError(context: ValidationContext | null, error: GraphQLError): void {
  // armor builds its errors as syntax errors; the document is well-formed, only too large.
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { nodes: error.nodes }));
}
