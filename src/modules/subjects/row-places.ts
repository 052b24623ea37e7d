import { placedBy, type RowPlace, type RowPlaces } from '../access/index.ts';
import type { Loaders } from './create-loaders.ts';
import type { CreditRecordParent, LegalRepresentativeParent, PenaltyParent } from './mappers.ts';

/** What placing a row needs of the request's context. */
interface PlacingContext {
  loaders: Loaders;
}

/**
 * Where the rows of each record type lie, for owner standing decided per row (a township team
 * reads its system's conditional fields as their owner only on rows of its township). A test
 * fails for a type with a field owner standing opens that is neither confined nor placed here.
 */
export const ROW_PLACES: RowPlaces<PlacingContext> = {
  // Their loaders answer only rows within the caller's jurisdiction (create-loaders.ts,
  // `inJurisdiction`); an informant is reached only through its clue.
  confined: ['Inspection', 'Clue', 'Case', 'Informant'],
  placed: {
    // Where its case arose, whether or not the caller may see that case.
    Penalty: placedBy(
      async (penalty: PenaltyParent, { loaders }: PlacingContext) =>
        (await loaders.caseAnywhereByNo.load(penalty.caseNo))?.townshipCode ?? null,
    ),
    LegalRepresentative: placedBy((representative: LegalRepresentativeParent) => representative.townshipCode),
    // Where its subject is registered.
    CreditRecord: placedBy(
      async (record: CreditRecordParent, { loaders }: PlacingContext) =>
        (await loaders.subjectByUscc.load(record.subjectUscc))?.townshipCode ?? null,
    ),
  },
};

/** The place of a row of a record type as declared above; unknown for a type declared nowhere. */
export async function placeOfRow(typeName: string, row: unknown, context: PlacingContext): Promise<RowPlace> {
  if (ROW_PLACES.confined.includes(typeName)) return 'confined';
  const placeOf = ROW_PLACES.placed[typeName];
  return placeOf ? placeOf(row, context) : null;
}
