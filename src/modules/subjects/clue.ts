import type { ClueResolvers } from '../../generated/graphql.ts';

export const Clue: ClueResolvers = {
  inspection: (clue, _, { loaders }) => (clue.inspectionId ? loaders.inspectionById.load(clue.inspectionId) : null),
  subject: (clue, _, { loaders }) => loaders.subjectByUscc.load(clue.subjectUscc),
  powerItem: async (clue, _, { loaders }) => (await loaders.reference()).powerItems.get(clue.powerItemCode) ?? null,
  sender: async (clue, _, { loaders }) => (await loaders.reference()).authorities.get(clue.senderCode) ?? null,
  receiver: async (clue, _, { loaders }) => (await loaders.reference()).authorities.get(clue.receiverCode) ?? null,
  township: async (clue, _, { loaders }) => (await loaders.reference()).jurisdictions.get(clue.townshipCode) ?? null,
  case: (clue, _, { loaders }) => (clue.caseNo ? loaders.caseByNo.load(clue.caseNo) : null),
};
