import type { CreditCommitmentResolvers, CreditRecordResolvers, CreditResolvers } from '../../generated/graphql.ts';

export const Credit: CreditResolvers = {
  records: (profile, _, { loaders }) => loaders.creditRecordsBySubject.load(profile.uscc),
  commitments: async (profile, _, { loaders }) =>
    (await loaders.creditRecordsBySubject.load(profile.uscc)).filter((record) => record.kind === 'COMMITMENT'),
};

export const CreditRecord: CreditRecordResolvers = {
  subject: (record, _, { loaders }) => loaders.subjectByUscc.load(record.subjectUscc),
  penalty: (record, _, { loaders }) => (record.decisionNo ? loaders.penaltyByDecisionNo.load(record.decisionNo) : null),
  fine: (record) => record.fineFen,
};

export const CreditCommitment: CreditCommitmentResolvers = {
  permit: (commitment, _, { loaders }) => (commitment.permitNo ? loaders.permitByNo.load(commitment.permitNo) : null),
};
