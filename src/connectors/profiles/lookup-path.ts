import type { FieldSpec } from './profile-types.ts';

/**
 * The raw path a mapping reads one domain field from (`subject.value` → `subject_code`), so a
 * connector can ask every source the same question in domain terms whatever each one calls the
 * field. Only a field copied from one raw path can be looked up by; anything else is a profile
 * that cannot answer the lookup, and is refused when the source is assembled.
 */
export function rawLookupPath(fields: Record<string, FieldSpec>, domainPath: string): string {
  const steps = domainPath.split('.');
  let level = fields;
  let prefix = '';
  for (const [index, step] of steps.entries()) {
    const spec = level[step];
    const last = index === steps.length - 1;
    if (spec === undefined) break;
    if (typeof spec === 'string') {
      if (last) return prefix + spec;
      break;
    }
    if (last && spec.from !== undefined && !spec.object && !spec.items && spec.const === undefined) {
      return prefix + spec.from;
    }
    if (last || !spec.object) break;
    if (spec.from !== undefined) prefix += `${spec.from}.`;
    level = spec.object;
  }
  throw new Error(`no raw field to look "${domainPath}" up by: it must be copied from one raw path`);
}
