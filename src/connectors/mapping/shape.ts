import { isRecord } from '../http/envelope.ts';

/**
 * Cheap checks of a payload's outer shape, used as `parse` of an upstream call: a payload of
 * the wrong shape is an UPSTREAM_BAD_RESPONSE, while each record inside is checked when it is
 * mapped (and dropped alone if it is wrong).
 */
export function arrayPayload<T>(data: unknown): T[] {
  if (!Array.isArray(data)) throw new Error('expected an array');
  return data as T[];
}

type FieldKind = 'array' | 'number' | 'string' | 'boolean';

/** A parser for an object payload (a page, a feed page) whose named fields must have these kinds. */
export function objectPayload<T>(fields: Record<string, FieldKind>): (data: unknown) => T {
  return (data) => {
    if (!isRecord(data)) throw new Error('expected an object');
    for (const [key, kind] of Object.entries(fields)) {
      const value = data[key];
      const ok = kind === 'array' ? Array.isArray(value) : typeof value === kind;
      if (!ok) throw new Error(`${key} is not a ${kind}`);
    }
    return data as T;
  };
}
