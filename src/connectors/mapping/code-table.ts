import { UnmappableFieldError } from './unmappable-field.ts';

/**
 * A closed mapping from an agency's codes or labels to a domain union. Unknown codes throw,
 * so the record is dropped rather than mislabelled.
 */
export function codeTable<K extends string | number, V>(field: string, entries: Record<K, V>) {
  const table = new Map<unknown, V>(Object.entries(entries).map(([code, value]) => [code, value as V]));
  return (code: unknown): V => {
    const value = table.get(typeof code === 'number' ? String(code) : code);
    if (value === undefined) throw new UnmappableFieldError(field, code);
    return value;
  };
}
