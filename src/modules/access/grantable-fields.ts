import type { AgencySystem } from '../../domain/types.ts';
import type { SharingDeclaration } from './sharing-declarations.ts';

/**
 * What is wrong with the fields a grant would open, if anything. Only conditionally shared
 * fields need a grant, and only their owner can share them: a grant naming a field that does
 * not exist, is shared with everyone already, is never shared, or belongs to another agency
 * would be an agreement that means nothing — or one a careless administrator thinks means
 * something.
 */
export function grantableFieldProblems(
  fields: readonly string[],
  ownerSystem: AgencySystem,
  declarations: ReadonlyMap<string, SharingDeclaration>,
): string[] {
  const problems: string[] = [];
  for (const field of fields) {
    const declaration = declarations.get(field);
    if (!declaration)
      problems.push(`fields: ${field} is not a field of the schema (write Type.field, e.g. Inspection.findings)`);
    else if (declaration.sharingClass === 'UNCONDITIONAL')
      problems.push(`fields: ${field} is shared unconditionally and needs no grant`);
    else if (declaration.sharingClass === 'NOT_SHARED')
      problems.push(`fields: ${field} is not shared (不予共享); no grant can open it`);
    else if (declaration.owner !== ownerSystem)
      problems.push(`fields: ${field} belongs to ${declaration.owner}, not ${ownerSystem}`);
  }
  return problems;
}
