import type { PenaltyResolvers } from '../../generated/graphql.ts';

export const Penalty: PenaltyResolvers = {
  case: (penalty, _, { loaders }) => loaders.caseByNo.load(penalty.caseNo),
  subject: (penalty, _, { loaders }) => loaders.subjectByUscc.load(penalty.subjectUscc),
  fine: (penalty) => penalty.fineFen,
  confiscated: (penalty) => penalty.confiscatedFen,
  affectedPermit: (penalty, _, { loaders }) =>
    penalty.affectedPermitNo ? loaders.permitByNo.load(penalty.affectedPermitNo) : null,
  creditRecords: (penalty, _, { loaders }) => loaders.creditRecordsByDecisionNo.load(penalty.decisionNo),
};
