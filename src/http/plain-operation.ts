import type { Request } from 'express';

export interface PlainOperation {
  query: string;
  variables: Record<string, unknown> | undefined;
  operationName: string | null;
}

/** A body Apollo takes straight to parsing: one operation, its fields of the types Apollo requires. */
export function plainOperation(req: Request): PlainOperation | undefined {
  return req.method === 'POST' ? plainOperationOf(req.body) : undefined;
}

/** The same for a parsed JSON body. */
export function plainOperationOf(body: unknown): PlainOperation | undefined {
  if (!isPlainObject(body)) return undefined;
  const { query, variables, operationName, extensions } = body;
  if (typeof query !== 'string') return undefined;
  if (variables != null && !isPlainObject(variables)) return undefined;
  if (operationName != null && typeof operationName !== 'string') return undefined;
  if (extensions != null && (!isPlainObject(extensions) || 'persistedQuery' in extensions)) return undefined;
  return { query, variables: variables ?? undefined, operationName: operationName ?? null };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
