import type { CaseResolvers } from '../../generated/graphql.ts';

export const Case: CaseResolvers = {
  clue: (enforcementCase, _, { loaders }) =>
    enforcementCase.clueId ? loaders.clueById.load(enforcementCase.clueId) : null,
  subject: (enforcementCase, _, { loaders }) => loaders.subjectByUscc.load(enforcementCase.subjectUscc),
  powerItem: async (enforcementCase, _, { loaders }) =>
    (await loaders.reference()).powerItems.get(enforcementCase.powerItemCode) ?? null,
  authority: async (enforcementCase, _, { loaders }) =>
    (await loaders.reference()).authorities.get(enforcementCase.authorityCode) ?? null,
  township: async (enforcementCase, _, { loaders }) =>
    (await loaders.reference()).jurisdictions.get(enforcementCase.townshipCode) ?? null,
  penalties: (enforcementCase, _, { loaders }) => loaders.penaltiesByCase.load(enforcementCase.caseNo),
};
