import type { InspectionResolvers } from '../../generated/graphql.ts';

export const Inspection: InspectionResolvers = {
  subject: (inspection, _, { loaders }) =>
    inspection.subject.kind === 'USCC'
      ? loaders.subjectByUscc.load(inspection.subject.value)
      : loaders.subjectByLegacyRegNo.load(inspection.subject.value),
  subjectReference: (inspection) => inspection.subject,
  permit: (inspection, _, { loaders }) => (inspection.permitNo ? loaders.permitByNo.load(inspection.permitNo) : null),
  leadAuthority: async (inspection, _, { loaders }) =>
    (await loaders.reference()).authorities.get(inspection.leadAuthorityCode) ?? null,
  authorities: async (inspection, _, { loaders }) => {
    const { authorities } = await loaders.reference();
    return inspection.authorityCodes.flatMap((code) => authorities.get(code) ?? []);
  },
  township: async (inspection, _, { loaders }) =>
    (await loaders.reference()).jurisdictions.get(inspection.townshipCode) ?? null,
  clues: (inspection, _, { loaders }) => loaders.cluesByInspection.load(inspection.id),
};
