import type { Request, RequestHandler } from 'express';
import type { RecordEarlyRefusal } from './early-refusals.ts';

/**
 * How deep a /graphql request's JSON may nest (its variables and extensions included). No input
 * the schema takes nests a tenth as deep; a body of `[[[…]]]` thousands of levels deep fits in
 * a few kilobytes, and any recursive walk of it (graphql-js coercing variables, Apollo's and the
 * access log's serialisations) would overflow the stack.
 */
export const MAX_REQUEST_NESTING = 64;

/**
 * Refuses, recorded first when `record` is given, a request whose JSON nests deeper than
 * `MAX_REQUEST_NESTING`: a POST's parsed body, or a GET's `variables` and `extensions`. Answered
 * 400 BAD_REQUEST before anything walks it recursively.
 */
export function refuseDeepNesting(record?: RecordEarlyRefusal): RequestHandler {
  return async (req, res, next) => {
    if (!nestsTooDeep(req)) {
      next();
      return;
    }
    if (record && !(await record(req, res, 'nested_too_deep'))) return;
    res.status(400).json({
      errors: [
        {
          message: `The request nests deeper than ${MAX_REQUEST_NESTING} levels of JSON objects and arrays.`,
          extensions: { code: 'BAD_REQUEST' },
        },
      ],
    });
  };
}

function nestsTooDeep(req: Request): boolean {
  if (req.method === 'POST') return deeperThan(req.body, MAX_REQUEST_NESTING);
  if (req.method !== 'GET') return false;
  const query = req.query as Record<string, unknown>;
  return [query['variables'], query['extensions']].some(
    (sent) => typeof sent === 'string' && deeperThan(parsedOrNull(sent), MAX_REQUEST_NESTING),
  );
}

function parsedOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // Apollo refuses it, recorded by the access-log guard.
  }
}

/** Whether objects and arrays nest deeper than `limit` in `value`; without recursion, so any depth is safe. */
export function deeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const pending: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    if (next.depth > limit) return true;
    for (const child of Object.values(next.value)) {
      if (child !== null && typeof child === 'object') pending.push({ value: child as object, depth: next.depth + 1 });
    }
  }
  return false;
}
