import { DerivedOutputs } from '../access/index.ts';
import { usccProblems } from '../../identifiers/uscc.ts';
import type { SubjectResolvers } from '../../generated/graphql.ts';
import type { Subject as DomainSubject } from '../../domain/types.ts';
import type { Loaders } from './create-loaders.ts';
import type { SubjectParent } from './mappers.ts';
import { settledValue } from './page-records.ts';
import { placeOfRow } from './row-places.ts';
import { loopRecordType } from './timeline-resolvers.ts';
import { buildTimeline } from './timeline-service.ts';
import { subjectInspections } from './subject-inspections.ts';

type Enterprise = DomainSubject | null;
const kindOf = (enterprise: Enterprise) => enterprise?.kind ?? null;
const industryCodeOf = (enterprise: Enterprise) => enterprise?.industryCode ?? null;
const establishedOnOf = (enterprise: Enterprise) => enterprise?.establishedOn ?? null;
const addressOf = (enterprise: Enterprise) => enterprise?.address ?? null;
// Carries the subject's township: owner standing on its personal fields is decided by it.
const legalRepresentativeOf = (enterprise: Enterprise) =>
  enterprise ? { ...enterprise.legalRepresentative, townshipCode: enterprise.townshipCode } : null;

function enterpriseField<R>(
  subject: SubjectParent,
  loaders: Pick<Loaders, 'enterpriseByUscc'>,
  pick: (enterprise: Enterprise) => R,
): R | Promise<R> {
  const enterprise = subject.page?.enterprise;
  return enterprise === undefined
    ? loaders.enterpriseByUscc.load(subject.uscc).then(pick)
    : pick(settledValue(enterprise));
}

export const Subject: SubjectResolvers = {
  usccValid: (subject) => usccProblems(subject.uscc).length === 0,
  usccProblem: (subject) => usccProblems(subject.uscc)[0]?.message ?? null,
  township: async (subject, _, { loaders }) =>
    subject.townshipCode ? ((await loaders.reference()).jurisdictions.get(subject.townshipCode) ?? null) : null,
  // Read from the page's records on a `subjects` list (no promise per row and field), else loaded.
  kind: (subject, _, { loaders }) => enterpriseField(subject, loaders, kindOf),
  industryCode: (subject, _, { loaders }) => enterpriseField(subject, loaders, industryCodeOf),
  establishedOn: (subject, _, { loaders }) => enterpriseField(subject, loaders, establishedOnOf),
  address: (subject, _, { loaders }) => enterpriseField(subject, loaders, addressOf),
  legalRepresentative: (subject, _, { loaders }) => enterpriseField(subject, loaders, legalRepresentativeOf),
  permits: (subject, _, { loaders }) =>
    subject.page?.permits === undefined
      ? loaders.permitsByHolder.load(subject.uscc)
      : settledValue(subject.page.permits),
  inspections: (subject, _, { loaders }) => subjectInspections(subject, loaders),
  clues: (subject, _, { loaders }) => loaders.cluesBySubject.load(subject.uscc),
  cases: (subject, _, { loaders }) => loaders.casesBySubject.load(subject.uscc),
  penalties: (subject, _, { loaders }) => loaders.penaltiesBySubject.load(subject.uscc),
  credit: (subject, _, { loaders }) => loaders.creditProfileByUscc.load(subject.uscc),
  timeline: (subject, _, context, info) => {
    const outputs = DerivedOutputs.of(info.schema, context.permissions);
    return buildTimeline(subject, context.loaders, {
      // A township team's event on a record beyond its township is decided as that record's fields are.
      show: (event) => {
        const output = `TimelineEventKind.${event.kind}`;
        if (!outputs.placeDecides(output)) return outputs.show(output);
        return placeOfRow(loopRecordType(event.record), event.record, context).then((place) =>
          outputs.showAt(output, place),
        );
      },
      wouldShow: (kind) => outputs.wouldShow(`TimelineEventKind.${kind}`),
    });
  },
};
