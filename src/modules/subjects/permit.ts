import type { PermitResolvers } from '../../generated/graphql.ts';

export const Permit: PermitResolvers = {
  holder: (permit, _, { loaders }) => loaders.subjectByUscc.load(permit.holderUscc),
  issuer: async (permit, _, { loaders }) => (await loaders.reference()).authorities.get(permit.issuerCode) ?? null,
  inspections: (permit, _, { loaders }) => loaders.inspectionsByPermitNo.load(permit.permitNo),
  penalties: (permit, _, { loaders }) => loaders.penaltiesByPermit.load(permit.permitNo),
};
