import {
  BREAK,
  execute,
  getVariableValues,
  GraphQLError,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type Source,
  visit,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

export interface CompiledExecutionOptions {
  /**
   * Executions by graphql-js before an operation is compiled (compiling costs milliseconds): with
   * 1, a document is compiled when it comes a second time, so a caller sending ever-new documents
   * never makes the gateway compile. 0 compiles every operation at once (tests use it).
   */
  compileAfter: number;
  /** Compiled operations kept; beyond, the least recently used is dropped (bounded memory). */
  maxCompiled: number;
  /** Told of each compilation (false: jit could not compile it) and which engine executed each operation. */
  observer?: {
    compiled(ok: boolean): void;
    executed(engine: 'jit' | 'graphql-js'): void;
  };
}

export interface OperationToExecute {
  schema: GraphQLSchema;
  /** The parsed, validated document as Apollo's document store hands it back: the same object for the same text. */
  document: DocumentNode;
  /** The operation Apollo resolved from the document and the request's operation name. */
  operation: OperationDefinitionNode | undefined;
  /** As the request named it (graphql-js resolves the operation from this when it runs). */
  operationName: string | undefined;
  variableValues: Record<string, unknown> | undefined;
  contextValue: unknown;
}

/** Marks an operation graphql-jit could not compile: graphql-js runs it every time, without a retry. */
const NOT_COMPILED = Symbol('not compiled');

/**
 * Executes queries that come again through graphql-jit, which compiles an operation into one
 * function: no `info`, path or arguments map per field and no promise per object, which were
 * most of a large list's garbage under graphql-js (bench/RESULTS-fixedcost.notes.md).
 *
 * Everything else stays graphql-js's: an operation's first executions, mutations, introspection,
 * `@skip`/`@include` and anything jit cannot compile. Where jit differs from graphql-js, the answer is made the same:
 * - variables are coerced by graphql-js first, so bad input is refused with its exact errors
 *   (jit's own messages differ, e.g. it drops a scalar's reason); if jit then refuses what
 *   graphql-js accepted, graphql-js executes the operation;
 * - jit's errors are remade as graphql-js `GraphQLError`s (same message, locations, path and
 *   original error, so `extensions.code` and the error masker see what they see today).
 */
export class CompiledOperations {
  readonly #options: CompiledExecutionOptions;
  /** graphql-js executions of each operation not yet compiled; a forgotten document takes its count with it. */
  readonly #runs = new WeakMap<OperationDefinitionNode, number>();
  /** Insertion order is recency: a hit moves its entry to the end, the first entry is dropped first. */
  readonly #compiled = new Map<OperationDefinitionNode, CompiledQuery | typeof NOT_COMPILED>();
  constructor(options: CompiledExecutionOptions) {
    this.#options = options;
  }

  /** Executes one operation, compiled if it has come often enough. */
  async execute(request: OperationToExecute): Promise<ExecutionResult> {
    const compiled = this.#compiledFor(request);
    const answered = compiled && (await this.#compiledRun(compiled, request));
    this.#options.observer?.executed(answered ? 'jit' : 'graphql-js');
    return (
      answered ||
      execute({
        schema: request.schema,
        document: request.document,
        contextValue: request.contextValue,
        variableValues: request.variableValues,
        operationName: request.operationName,
      })
    );
  }

  /** The compiled operation's answer; undefined if jit refused variables graphql-js accepts (nothing ran then). */
  async #compiledRun(compiled: CompiledQuery, request: OperationToExecute): Promise<ExecutionResult | undefined> {
    const { schema, operation, variableValues, contextValue, document } = request;
    const coerced = getVariableValues(schema, operation!.variableDefinitions ?? [], variableValues ?? {}, {
      maxErrors: 50,
    });
    // What graphql-js's execute answers for the same variables, to the letter.
    if (coerced.errors) return { errors: coerced.errors };
    const result = await compiled.query(undefined, contextValue, variableValues ?? {});
    if (!('data' in result)) return undefined;
    if (!result.errors) return result;
    const source = document.loc?.source;
    return { data: result.data, errors: result.errors.map((error) => remade(error, source)) };
  }

  /** The compiled operation, compiling it now if it has come often enough; undefined: graphql-js runs it. */
  #compiledFor({ schema, document, operation }: OperationToExecute): CompiledQuery | undefined {
    if (!operation || operation.operation !== 'query' || asksForSchema(operation)) return undefined;
    const known = this.#compiled.get(operation);
    if (known !== undefined) {
      this.#compiled.delete(operation);
      this.#compiled.set(operation, known);
      return known === NOT_COMPILED ? undefined : known;
    }
    const runs = this.#runs.get(operation) ?? 0;
    if (runs < this.#options.compileAfter) {
      this.#runs.set(operation, runs + 1);
      return undefined;
    }
    this.#runs.delete(operation);
    const compiled = usesSkipOrInclude(document) ? undefined : compileQuery(schema, document, operation.name?.value);
    const entry = compiled && isCompiledQuery(compiled) ? compiled : NOT_COMPILED;
    this.#options.observer?.compiled(entry !== NOT_COMPILED);
    this.#compiled.set(operation, entry);
    if (this.#compiled.size > this.#options.maxCompiled) {
      this.#compiled.delete(this.#compiled.keys().next().value!);
    }
    return entry === NOT_COMPILED ? undefined : entry;
  }
}

/**
 * Introspection is left to graphql-js: it is rare, and its resolvers read graphql-js's own
 * `info`. Only top-level fields can introspect the schema (`__typename` anywhere is not that).
 */
function asksForSchema(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.some(
    (selection) =>
      selection.kind !== 'Field' || selection.name.value === '__schema' || selection.name.value === '__type',
  );
}

/**
 * `@skip`/`@include` are left to graphql-js: jit has had wrong answers with them on fragments
 * reached by several paths (zalando-incubator/graphql-jit#111, #166; the fix is behind an
 * "experimental" option). The console sends neither, so this costs nothing today.
 */
function usesSkipOrInclude(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Directive(node) {
      if (node.name.value === 'skip' || node.name.value === 'include') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/**
 * jit's error objects carry no `extensions` object when the original error had none (Apollo's
 * error formatting then fails and answers "Internal server error" without a path), and no
 * nodes. The same error as graphql-js makes it: its locations become positions in the document's
 * source, and the original error stays behind it (its `extensions` become the error's). One
 * difference is left: a scalar whose serialize throws is known to jit by its message only, so
 * its error's own extensions would be lost (the gateway's scalars throw none: masked either way).
 */
function remade(error: GraphQLError, source: Source | undefined): GraphQLError {
  const positions = source && error.locations ? error.locations.map((at) => positionOf(source, at)) : undefined;
  return new GraphQLError(error.message, {
    source: positions ? source : undefined,
    positions,
    path: error.path,
    // jit keeps none for a null in a non-null field or a scalar's failed serialize; graphql-js an Error with the message.
    originalError: error.originalError ?? new Error(error.message),
  });
}

/** The offset of a 1-based line and column in the source, as graphql-js's `getLocation` reads them. */
function positionOf(source: Source, { line, column }: { line: number; column: number }): number {
  const lineBreak = /\r\n|[\n\r]/g;
  let lineStart = 0;
  for (let current = 1; current < line; current++) {
    const found = lineBreak.exec(source.body);
    if (!found) break;
    lineStart = found.index + found[0].length;
  }
  return lineStart + column - 1;
}
