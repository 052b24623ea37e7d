import type { RequestHandler } from 'express';
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
} from 'graphql';
import type { Metrics } from '../platform/metrics.ts';
import { limitRefusals, type QueryLimits } from '../platform/query-limits.ts';
import { OTHER_OPERATION } from './operation-metric-names.ts';
import { plainOperation } from './plain-operation.ts';
import { acceptsJson, type DocumentRefusalLog, recordRefusedDocument } from './token-limit.ts';

export interface LimitRefusalOptions {
  schema: GraphQLSchema;
  limits: QueryLimits;
  metrics: Pick<Metrics, 'graphqlOperations' | 'graphqlDuration'>;
  /** The operation names the GraphQL metrics label by name (as `graphqlMetricsPlugin` is given them). */
  knownNames?: ReadonlySet<string>;
  /** With the access log on: the refusal's entry, as the access-log plugin writes one for a validation failure. */
  access?: DocumentRefusalLog;
}

/** Documents remembered as within the limits, so a repeated one is not parsed twice; small ones only. */
const REMEMBERED_DOCUMENTS = 500;
const REMEMBERED_LENGTH = 16 * 1024;

/**
 * Refuses a POSTed document over the query limits (depth, aliases, cost, directives) before
 * Apollo's pipeline, with Apollo's own answer to it (400 GRAPHQL_VALIDATION_FAILED, the limit
 * rules' messages and locations, byte for byte), its access-log entry and its metrics. The
 * document is parsed as Apollo parses it and measured by the same rules (`limitRefusals`), so
 * what is refused is exactly what validation refuses; Apollo still runs them on what it is
 * handed. Apollo's context, plugins, thirty-odd validation rules and error wrapping were most
 * of such a refusal's CPU besides its access-log INSERT (bench/RESULTS-fixedcost.notes.md).
 *
 * Whatever Apollo would answer otherwise first (a body that is not a plain operation, a purpose
 * header it refuses, a syntax error) goes on to Apollo untouched, as does every document within
 * the limits. Those are remembered by their text (a few hundred, up to 16 KB each), so a repeated
 * document costs one lookup here rather than a second parse.
 */
export function refuseOverQueryLimits(options: LimitRefusalOptions): RequestHandler {
  const { schema, limits, metrics, knownNames = new Set(), access } = options;
  const refusalsOf = limitRefusals(schema, limits);
  const within = new Set<string>();
  return async (req, res, next) => {
    const started = performance.now();
    const operation = plainOperation(req);
    if (!operation || within.has(operation.query) || !acceptsJson(req)) {
      next();
      return;
    }
    let document: DocumentNode;
    try {
      document = parse(operation.query, { maxTokens: limits.maxTokens });
    } catch {
      next();
      return;
    }
    const refusals = refusalsOf(document);
    if (refusals.length === 0) {
      if (operation.query.length <= REMEMBERED_LENGTH) {
        // Emptied when full rather than kept in order: a forgotten document only costs a parse.
        if (within.size >= REMEMBERED_DOCUMENTS) within.clear();
        within.add(operation.query);
      }
      next();
      return;
    }
    if (access) {
      const recorded = await recordRefusedDocument(req, res, access, operation);
      if (recorded === 'to-apollo') next();
      if (recorded !== 'recorded') return;
    }
    const resolved = resolvedOperation(document, operation.operationName);
    const asked = resolved?.name?.value;
    const labels = {
      type: resolved?.operation ?? 'unknown',
      name: asked === undefined ? 'anonymous' : knownNames.has(asked) ? asked : OTHER_OPERATION,
    };
    metrics.graphqlOperations.inc({ ...labels, outcome: 'error' });
    metrics.graphqlDuration.observe(labels, (performance.now() - started) / 1000);
    res
      .status(400)
      .type('application/json; charset=utf-8')
      .send(`${JSON.stringify({ errors: refusals.map(formatted) })}\n`);
  };
}

/** As Apollo formats a validation error and the error masker passes it: message, locations, code. */
function formatted(error: GraphQLError) {
  const { message, locations } = error.toJSON();
  return locations
    ? { message, locations, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }
    : { message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
}

/** The operation the metrics plugin labels a failed validation with (its `resolvedOperation`). */
function resolvedOperation(document: DocumentNode, wanted: string | null): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (wanted) return operations.find((operation) => operation.name?.value === wanted);
  return operations.length === 1 ? operations[0] : undefined;
}
