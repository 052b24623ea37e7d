import { UnmappableFieldError } from './unmappable-field.ts';

/** Field readers that fail the record (not the batch) when the upstream sent the wrong type. */

export function text(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new UnmappableFieldError(field, value);
  return value;
}

export function nullableText(field: string, value: unknown): string | null {
  return value === null || value === undefined ? null : text(field, value);
}

export function flag(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new UnmappableFieldError(field, value);
  return value;
}

export function textList(field: string, value: unknown): string[] {
  if (!Array.isArray(value)) throw new UnmappableFieldError(field, value);
  return value.map((item) => text(field, item));
}

/** Maps a nullable field with `map`, keeping null (and an absent field) as null. */
export function nullable<T>(value: unknown, map: (value: unknown) => T): T | null {
  return value === null || value === undefined ? null : map(value);
}
