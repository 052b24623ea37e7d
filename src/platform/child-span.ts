import { type Attributes, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('shenguanzhixin-gateway');

/**
 * Runs `work` inside a new span that is a child of the current one, and ends it when `work`
 * settles (marked as an error if it throws). Only under a recording span: with tracing off, or
 * outside a traced request (background syncs), `work` runs as it is, at the cost of one lookup.
 */
export async function inChildSpan<T>(
  name: string,
  attributes: Attributes,
  work: () => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  if (!trace.getActiveSpan()?.isRecording()) return work();
  const span = tracer.startSpan(name, { kind, attributes });
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (error) {
    span.recordException(error instanceof Error ? error : String(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** The id of the trace the current request belongs to, or null when it is not traced. */
export function currentTraceId(): string | null {
  const span = trace.getActiveSpan();
  return span?.isRecording() ? span.spanContext().traceId : null;
}
