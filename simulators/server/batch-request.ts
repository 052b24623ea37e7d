import { badRequest } from './sim-error.ts';

export const BATCH_MAX_KEYS = 200;

export interface BatchRequest {
  /** The upstream field to match. */
  field: string;
  values: string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function keyList(value: unknown, name: string): string[] {
  if (!Array.isArray(value)) throw badRequest(`${name} must be an array of strings`);
  if (value.length > BATCH_MAX_KEYS) {
    throw badRequest(`too many keys in ${name}: ${value.length}, at most ${BATCH_MAX_KEYS} per batch`);
  }
  if (!value.every((v) => typeof v === 'string')) throw badRequest(`${name} must contain only strings`);
  return value as string[];
}

/**
 * A body naming its lookup by its one key, e.g. `{ "usccs": [..] }`.
 * `keys` maps each accepted body key to the record field it matches.
 */
export function keyedBatch(body: unknown, keys: Readonly<Record<string, string>>): BatchRequest {
  const accepted = Object.keys(keys);
  const present = isObject(body) ? Object.keys(body) : [];
  if (!isObject(body) || present.length !== 1 || !accepted.includes(present[0]!)) {
    throw badRequest(`body must be an object with exactly one of: ${accepted.join(', ')}`);
  }
  const key = present[0]!;
  return { field: keys[key]!, values: keyList(body[key], key) };
}

/** A body naming its lookup field separately, e.g. `{ "by": "subject_code", "values": [..] }`. */
export function fieldBatch(
  body: unknown,
  fieldKey: string,
  valuesKey: string,
  fields: readonly string[],
): BatchRequest {
  if (!isObject(body)) throw badRequest(`body must be an object with ${fieldKey} and ${valuesKey}`);
  const field = body[fieldKey];
  if (typeof field !== 'string' || !fields.includes(field)) {
    throw badRequest(`${fieldKey} must be one of: ${fields.join(', ')}`);
  }
  for (const key of Object.keys(body)) {
    if (key !== fieldKey && key !== valuesKey) throw badRequest(`unexpected field '${key}' in batch body`);
  }
  return { field, values: keyList(body[valuesKey], valuesKey) };
}
