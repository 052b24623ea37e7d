/** JSON text already serialised once (a cached record), spliced into answers as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify that splices RawJson values in without re-serialising them. */
export function toJson(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + toJson(value[i]);
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    let out = '{';
    let first = true;
    for (const [key, inner] of Object.entries(value)) {
      if (inner === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${toJson(inner)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
