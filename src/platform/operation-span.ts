import { type Attributes, context, SpanStatusCode, trace } from '@opentelemetry/api';
import { type DocumentNode, type OperationDefinitionNode, TokenKind } from 'graphql';

const tracer = trace.getTracer('shenguanzhixin-gateway');

/** Literal values a caller wrote into the document: never in a trace (as the graphql instrumentation masks them). */
const MASKED = new Set<string>([TokenKind.INT, TokenKind.FLOAT, TokenKind.STRING, TokenKind.BLOCK_STRING]);

/** The masked text of each document, worked out once: Apollo's document store hands back the same object for the same text. */
const maskedSources = new WeakMap<DocumentNode, string>();

/**
 * Runs one operation's execution inside its span, named and attributed as OpenTelemetry's graphql
 * instrumentation names it (`query Lifecycle`, `graphql.operation.type`, `graphql.operation.name`,
 * `graphql.source` with literal values masked), so that loader batches and upstream calls are its
 * children. The gateway emits it itself, around whichever engine executes (graphql-js or a
 * graphql-jit compiled query, which never calls graphql-js's `execute` that the instrumentation
 * patches). Only under a recording span: with tracing off `work` runs as it is.
 */
export async function inOperationSpan<T>(
  document: DocumentNode,
  operation: OperationDefinitionNode | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return work();
  const span = tracer.startSpan(spanName(operation), { attributes: attributesOf(document, operation) });
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    throw error;
  } finally {
    span.end();
  }
}

function spanName(operation: OperationDefinitionNode | undefined): string {
  if (!operation) return 'graphql.execute';
  return operation.name ? `${operation.operation} ${operation.name.value}` : operation.operation;
}

function attributesOf(document: DocumentNode, operation: OperationDefinitionNode | undefined): Attributes {
  const attributes: Attributes = { 'graphql.source': maskedSource(document) };
  if (operation) attributes['graphql.operation.type'] = operation.operation;
  if (operation?.name) attributes['graphql.operation.name'] = operation.name.value;
  return attributes;
}

/** The document's text with every literal value replaced by `*` (`"*"` for strings), comments left out. */
export function maskedSource(document: DocumentNode): string {
  const known = maskedSources.get(document);
  if (known !== undefined) return known;
  const loc = document.loc;
  let text = '';
  if (loc) {
    const body = loc.source.body;
    let copiedTo = loc.start;
    for (let token = loc.startToken.next; token && token.kind !== TokenKind.EOF; token = token.next) {
      if (token.kind !== TokenKind.COMMENT && !MASKED.has(token.kind)) continue;
      text += body.slice(copiedTo, token.start);
      if (token.kind === TokenKind.STRING || token.kind === TokenKind.BLOCK_STRING) text += '"*"';
      else if (token.kind !== TokenKind.COMMENT) text += '*';
      copiedTo = token.end;
    }
    text += body.slice(copiedTo, loc.end);
  }
  maskedSources.set(document, text);
  return text;
}
