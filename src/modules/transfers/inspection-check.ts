import type { Principal } from '../../auth/principal.ts';
import type { SupervisionConnector } from '../../connectors/index.ts';
import { UpstreamError } from '../../platform/errors.ts';
import { withinJurisdiction } from '../access/index.ts';
import { TransferRefusedError } from './transfer-errors.ts';

/** Looks an inspection up; null when the supervision system has none by that id. */
export type InspectionLookup = (
  id: string,
) => Promise<{ subjectCode: string; subjectCodeKind: 'USCC' | 'LEGACY_REG_NO'; townshipCode: string } | null>;

export function inspectionsFrom(supervision: SupervisionConnector): InspectionLookup {
  return async (id) => {
    const [inspection] = await supervision.inspectionsById([id]);
    return inspection
      ? {
          subjectCode: inspection.subject.value,
          subjectCodeKind: inspection.subject.kind,
          townshipCode: inspection.townshipCode,
        }
      : null;
  };
}

/** Null when the inspection was checked; the supervision system's failure when it could not be. */
export type InspectionUnchecked = UpstreamError | null;

/**
 * The inspection a clue names must exist and be about the same subject (evidence is recognised
 * across agencies only when it is traceable). While the supervision system is down the check is
 * skipped rather than the transfer refused: the loop must not break because one system is away.
 * The failure is returned so the sender can be told the link went unchecked.
 */
export async function checkInspection(
  lookup: InspectionLookup,
  inspectionId: string,
  subjectUscc: string,
  sender: Pick<Principal, 'jurisdictionCode'>,
): Promise<InspectionUnchecked> {
  let found: Awaited<ReturnType<InspectionLookup>>;
  try {
    found = await lookup(inspectionId);
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  // Outside the sender's jurisdiction an inspection is answered as one that does not exist, as
  // `inspection(id:)` answers it; nothing below may be said about a record the sender cannot see.
  const inspection = found && withinJurisdiction(sender, found.townshipCode) ? found : null;
  if (!inspection) {
    throw new TransferRefusedError('UNKNOWN_INSPECTION', `The supervision system has no inspection ${inspectionId}.`, {
      inspectionId,
    });
  }
  if (inspection.subjectCodeKind === 'USCC' && inspection.subjectCode !== subjectUscc) {
    throw new TransferRefusedError(
      'INSPECTION_OF_ANOTHER_SUBJECT',
      `Inspection ${inspectionId} is not about ${subjectUscc}.`,
      { inspectionId },
    );
  }
  return null;
}
