import { DerivedOutputs } from '../access/index.ts';
import { usccProblems } from '../../identifiers/uscc.ts';
import type { SubjectResolvers } from '../../generated/graphql.ts';
import type { Subject as DomainSubject } from '../../domain/types.ts';
import { buildTimeline } from './timeline-service.ts';
import { subjectInspections } from './subject-inspections.ts';

type Enterprise = DomainSubject | null;
const kindOf = (enterprise: Enterprise) => enterprise?.kind ?? null;
const industryCodeOf = (enterprise: Enterprise) => enterprise?.industryCode ?? null;
const establishedOnOf = (enterprise: Enterprise) => enterprise?.establishedOn ?? null;
const addressOf = (enterprise: Enterprise) => enterprise?.address ?? null;
const legalRepresentativeOf = (enterprise: Enterprise) => enterprise?.legalRepresentative ?? null;

export const Subject: SubjectResolvers = {
  usccValid: (subject) => usccProblems(subject.uscc).length === 0,
  usccProblem: (subject) => usccProblems(subject.uscc)[0]?.message ?? null,
  township: async (subject, _, { loaders }) =>
    subject.townshipCode ? ((await loaders.reference()).jurisdictions.get(subject.townshipCode) ?? null) : null,
  // One promise per field, not an async function's two: a large list asks these of 100 subjects.
  kind: (subject, _, { loaders }) => loaders.enterpriseByUscc.load(subject.uscc).then(kindOf),
  industryCode: (subject, _, { loaders }) => loaders.enterpriseByUscc.load(subject.uscc).then(industryCodeOf),
  establishedOn: (subject, _, { loaders }) => loaders.enterpriseByUscc.load(subject.uscc).then(establishedOnOf),
  address: (subject, _, { loaders }) => loaders.enterpriseByUscc.load(subject.uscc).then(addressOf),
  legalRepresentative: (subject, _, { loaders }) =>
    loaders.enterpriseByUscc.load(subject.uscc).then(legalRepresentativeOf),
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
