import { compileMapping } from './compile-mapping.ts';
import type { RecordMapper } from './compile-mapping.ts';
import { loadShippedProfile } from './load-profile.ts';

/**
 * One mapping of a shipped profile as a plain function, for the tests that pin each agency's
 * format and for the benchmark's floor, which maps exactly as the gateway does.
 */
export function shippedMapper<T>(system: string, mapping: string): RecordMapper<T> {
  const profile = loadShippedProfile(system);
  const spec = profile.mappings[mapping];
  if (!spec) throw new Error(`the ${system} profile has no mapping "${mapping}"`);
  return compileMapping<T>(spec.fields, profile.codeTables ?? {});
}
