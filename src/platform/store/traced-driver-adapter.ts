import { SpanKind } from '@opentelemetry/api';
import type { SqlDriverAdapter, SqlQuery, SqlQueryable } from '@prisma/driver-adapter-utils';
import { inChildSpan } from '../child-span.ts';

/**
 * One span per store query on the embedded PGlite store, with the attributes the official pg
 * instrumentation gives the same query on PostgreSQL (which needs no wrapper: it patches `pg`).
 * The SQL is Prisma's parameterised text, so no value a caller sent ends up in a trace.
 */
export function withQuerySpans(adapter: SqlDriverAdapter): SqlDriverAdapter {
  traceQueries(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => traceQueries(await startTransaction(isolationLevel));
  return adapter;
}

function traceQueries<Q extends SqlQueryable>(queryable: Q): Q {
  const queryRaw = queryable.queryRaw.bind(queryable);
  const executeRaw = queryable.executeRaw.bind(queryable);
  queryable.queryRaw = (query) =>
    inChildSpan(spanName(query), attributesOf(query), () => queryRaw(query), SpanKind.CLIENT);
  queryable.executeRaw = (query) =>
    inChildSpan(spanName(query), attributesOf(query), () => executeRaw(query), SpanKind.CLIENT);
  return queryable;
}

function spanName(query: SqlQuery): string {
  return `pglite.query:${query.sql.trimStart().split(/\s/, 1)[0]?.toUpperCase() ?? 'SQL'}`;
}

function attributesOf(query: SqlQuery) {
  return { 'db.system.name': 'postgresql', 'db.query.text': query.sql };
}
