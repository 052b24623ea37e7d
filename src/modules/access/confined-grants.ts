import { GraphQLError } from 'graphql';

/** Who gives a grant, as far as its place matters. */
export interface Granter {
  authorityCode: string;
  jurisdictionCode: string;
}

/**
 * The fields among `fields` that a grant would open beyond the consumer's jurisdiction: those of
 * record types whose rows are not confined to the reader's jurisdiction (`RowPlaces.confined`).
 * A penalty's execution, say, is answered wherever its case arose.
 */
export function unconfinedFields(fields: readonly string[], confinedTypes: readonly string[]): string[] {
  return fields.filter((field) => !confinedTypes.includes(field.split('.')[0]!));
}

/**
 * FORBIDDEN with rule `beyond-jurisdiction` when a granter whose jurisdiction does not cover the
 * served area (a township team) gives fields of records not confined to the consumer's
 * jurisdiction. A grant has no place: its consumer reads those fields on every township's rows,
 * where the granter's own owner standing holds on its township's alone. A grant of a confined
 * type's fields stays within the consumer's jurisdiction, which lies within the granter's.
 */
export function assertGrantConfined(
  granter: Granter,
  fields: readonly string[],
  confinedTypes: readonly string[],
): void {
  const beyond = unconfinedFields(fields, confinedTypes);
  if (beyond.length === 0) return;
  throw new GraphQLError(
    `Not allowed: ${granter.authorityCode}'s jurisdiction (${granter.jurisdictionCode}) does not cover the area this gateway serves, so it grants only fields of records answered within the consumer's jurisdiction (${confinedTypes.join(', ')}); a grant has no place, and ${beyond.join(', ')} would be read under it on rows of every township, beyond ${granter.jurisdictionCode}.`,
    { extensions: { code: 'FORBIDDEN', rule: 'beyond-jurisdiction', fields: beyond } },
  );
}
