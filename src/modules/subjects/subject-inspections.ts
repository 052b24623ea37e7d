import type { Inspection } from '../../domain/types.ts';
import type { Loaders } from './create-loaders.ts';
import type { SubjectParent } from './mappers.ts';

/**
 * A subject's inspections are filed under its USCC and, for older records, under its legacy
 * registration number; both keys go in the same batch and the two lists are merged.
 */
export async function subjectInspections(subject: SubjectParent, loaders: Loaders): Promise<Inspection[]> {
  const byUscc = loaders.inspectionsBySubjectCode.load(subject.uscc);
  const byLegacy = subject.legacyRegNo ? loaders.inspectionsBySubjectCode.load(subject.legacyRegNo) : [];
  const [current, legacy] = await Promise.all([byUscc, byLegacy]);
  const merged = new Map([...current, ...legacy].map((inspection) => [inspection.id, inspection]));
  return [...merged.values()].sort((a, b) => a.inspectedOn.localeCompare(b.inspectedOn) || a.id.localeCompare(b.id));
}
