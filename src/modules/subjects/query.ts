import { BadUserInputError } from '../../platform/errors.ts';
import { isLegacyRegistrationNumber, usccProblems } from '../../identifiers/uscc.ts';
import type { QueryResolvers } from '../../generated/graphql.ts';
import { searchSubjects } from './subject-search.ts';
import { bounded } from './argument-limits.ts';
import { selectsField } from './selects-field.ts';
import { withPageRecords } from './page-records.ts';

export const Query: QueryResolvers = {
  subject: (_, { uscc }, { loaders }) => loaders.subjectByUscc.load(uscc),
  subjectByIdentifier: (_, { identifier }, { loaders }) => {
    const code = bounded('identifier', identifier.trim().toUpperCase());
    if (code.length === 0) throw new BadUserInputError('identifier must not be empty');
    return /^\d{15}$/.test(code) ? loaders.subjectByLegacyRegNo.load(code) : loaders.subjectByUscc.load(code);
  },
  subjects: async (
    _,
    { filter, first, after },
    { registry, registryFeeds, loaders, subjectsTouched, warnings },
    info,
  ) => {
    // Answered from the registry alone: while it cannot follow a feed, the page may lack what that agency added since.
    if (registryFeeds) await warnings.readingCopy('subject registry', registryFeeds);
    const connection = await searchSubjects(registry, filter, first, after, {
      count: selectsField(info, 'totalCount'),
    });
    // Read from the registry, not through the loaders, so named for the access log here.
    for (const node of connection.nodes) subjectsTouched.add(node.uscc);
    return { ...connection, nodes: await withPageRecords(connection.nodes, loaders, info) };
  },
  checkUscc: (_, { code }) => {
    bounded('code', code);
    const problems = usccProblems(code).map((problem) => problem.message);
    if (problems.length > 0 && isLegacyRegistrationNumber(code)) {
      problems.push('this is a valid legacy 15-digit registration number (注册号), not a USCC');
    }
    return { code, valid: problems.length === 0, problems };
  },

  permit: (_, { permitNo }, { loaders }) => loaders.permitByNo.load(bounded('permitNo', permitNo)),
  inspection: (_, { id }, { loaders }) => loaders.inspectionById.load(bounded('id', id)),
  clue: (_, { id }, { loaders }) => loaders.clueById.load(bounded('id', id)),
  case: (_, { caseNo }, { loaders }) => loaders.caseByNo.load(bounded('caseNo', caseNo)),
  penalty: (_, { decisionNo }, { loaders }) => loaders.penaltyByDecisionNo.load(bounded('decisionNo', decisionNo)),
  creditRecord: (_, { id }, { loaders }) => loaders.creditRecordById.load(bounded('id', id)),

  authorities: async (_, { kind, jurisdictionCode }, { loaders }) =>
    [...(await loaders.reference()).authorities.values()].filter(
      (a) => (!kind || a.kind === kind) && (!jurisdictionCode || a.jurisdictionCode === jurisdictionCode),
    ),
  authority: async (_, { code }, { loaders }) => (await loaders.reference()).authorities.get(code) ?? null,
  jurisdictions: async (_, { level, parentCode }, { loaders }) =>
    [...(await loaders.reference()).jurisdictions.values()].filter(
      (j) => (!level || j.level === level) && (!parentCode || j.parentCode === parentCode),
    ),
  jurisdiction: async (_, { code }, { loaders }) => (await loaders.reference()).jurisdictions.get(code) ?? null,
  powerItems: async (_, { domain }, { loaders }) =>
    [...(await loaders.reference()).powerItems.values()].filter((item) => !domain || item.domain === domain),
  powerItem: async (_, { code }, { loaders }) => (await loaders.reference()).powerItems.get(code) ?? null,
};
