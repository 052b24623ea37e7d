import { DerivedOutputs } from '../access/index.ts';
import { usccProblems } from '../../identifiers/uscc.ts';
import type { SubjectResolvers } from '../../generated/graphql.ts';
import { buildTimeline } from './timeline-service.ts';
import { subjectInspections } from './subject-inspections.ts';

export const Subject: SubjectResolvers = {
  usccValid: (subject) => usccProblems(subject.uscc).length === 0,
  usccProblem: (subject) => usccProblems(subject.uscc)[0]?.message ?? null,
  township: async (subject, _, { loaders }) =>
    subject.townshipCode ? ((await loaders.reference()).jurisdictions.get(subject.townshipCode) ?? null) : null,
  kind: async (subject, _, { loaders }) => (await loaders.enterpriseByUscc.load(subject.uscc))?.kind ?? null,
  industryCode: async (subject, _, { loaders }) =>
    (await loaders.enterpriseByUscc.load(subject.uscc))?.industryCode ?? null,
  establishedOn: async (subject, _, { loaders }) =>
    (await loaders.enterpriseByUscc.load(subject.uscc))?.establishedOn ?? null,
  address: async (subject, _, { loaders }) => (await loaders.enterpriseByUscc.load(subject.uscc))?.address ?? null,
  legalRepresentative: async (subject, _, { loaders }) =>
    (await loaders.enterpriseByUscc.load(subject.uscc))?.legalRepresentative ?? null,
  permits: (subject, _, { loaders }) => loaders.permitsByHolder.load(subject.uscc),
  inspections: (subject, _, { loaders }) => subjectInspections(subject, loaders),
  clues: (subject, _, { loaders }) => loaders.cluesBySubject.load(subject.uscc),
  cases: (subject, _, { loaders }) => loaders.casesBySubject.load(subject.uscc),
  penalties: (subject, _, { loaders }) => loaders.penaltiesBySubject.load(subject.uscc),
  credit: (subject, _, { loaders }) => loaders.creditProfileByUscc.load(subject.uscc),
  timeline: (subject, _, { loaders, permissions }, info) => {
    const outputs = DerivedOutputs.of(info.schema, permissions);
    return buildTimeline(subject, loaders, {
      show: (kind) => outputs.show(`TimelineEventKind.${kind}`),
      wouldShow: (kind) => outputs.wouldShow(`TimelineEventKind.${kind}`),
    });
  },
};
