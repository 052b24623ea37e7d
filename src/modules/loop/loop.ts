import { GraphQLError, type GraphQLResolveInfo } from 'graphql';
import type { GatewayContext } from '../../context.ts';
import type { AgencySystem } from '../../domain/types.ts';
import { DerivedOutputs } from '../access/index.ts';
import { withinJurisdiction } from '../access/index.ts';
import type {
  AuthorityPerformanceResolvers,
  LoopFeedFreshnessResolvers,
  LoopGapKind,
  LoopIndexFreshnessResolvers,
  LoopGapResolvers,
  QueryResolvers,
  SubjectResolvers,
  TownshipPowerUseResolvers,
} from '../../generated/graphql.ts';
import { loopScope } from './loop-scope.ts';
import type { LoopGapPolicy } from './loop-gaps.ts';
import { LOOP_GAP_KINDS } from './loop-gaps-sql.ts';
import type { LoopServices } from './loop-services.ts';
import { feedCountRefusal } from './feed-counts.ts';

function loopOf(context: GatewayContext): LoopServices {
  if (!context.loop) {
    throw new GraphQLError('The loop index is not running in this gateway.', {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  return context.loop;
}

/**
 * The loop services for a field computed from the index, having told the request which feeds the
 * index could not follow at its last sync: such an answer is as of then, and must say so.
 */
async function indexedLoopOf(context: GatewayContext): Promise<LoopServices> {
  const loop = loopOf(context);
  await context.warnings.readingCopy('loop index', loop.sync);
  return loop;
}

export const LoopQuery: Pick<QueryResolvers, 'loopGaps' | 'loopIndexFreshness' | 'authorityPerformance'> = {
  loopGaps: async (_, { filter, first, after }, context, info) => {
    const scope = loopScope(context.principal);
    const page = await (
      await indexedLoopOf(context)
    ).gaps.list(filter ?? {}, first, after ?? null, scope, gapPolicy(context, info));
    // Read from the loop index, not through the loaders, so named for the access log here.
    for (const gap of page.items) context.subjectsTouched.add(gap.subjectUscc);
    const asked = filter?.kinds && filter.kinds.length > 0 ? filter.kinds : LOOP_GAP_KINDS;
    return {
      withheld: withheldKinds(asked, DerivedOutputs.of(info.schema, context.permissions)),
      totalCount: page.totalCount,
      countsByKind: page.countsByKind,
      gaps: page.items,
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      calendarCovered: page.calendarCovered,
    };
  },
  loopIndexFreshness: async (_, __, context) =>
    (await loopOf(context).sync.agencyFreshness()).map((f) => ({
      ...f,
      system: f.system.toUpperCase() as Uppercase<AgencySystem>,
      feeds: f.feeds.map(({ lastError, ...feed }) => ({
        ...feed,
        lastError: lastError?.message ?? null,
        lastErrorCode: lastError?.code ?? null,
        lastErrorReason: lastError?.reason ?? null,
      })),
    })),
  authorityPerformance: async (_, { period, townshipCode, authorityCode }, context, info) => {
    const scope = loopScope(context.principal);
    const outputs = DerivedOutputs.of(info.schema, context.permissions);
    // Units are formed only from records whose figures the caller may see; the figures are refused field by field.
    const sources = {
      clues: outputs.wouldShow('AuthorityPerformance.transfersReceived'),
      executions: outputs.wouldShow('AuthorityPerformance.casesExecuted'),
    };
    return (await indexedLoopOf(context)).performance.report(
      { from: period.from, to: period.to, townshipCode, authorityCode },
      scope,
      sources,
      context.warnings.calendarNotCovered,
    );
  },
};

export const SubjectLoop: Pick<SubjectResolvers, 'loop'> = {
  loop: async (subject, { asOf }, context, info) => {
    const scope = loopScope(context.principal);
    // A subject outside the caller's jurisdiction has no loop to show them.
    if (context.principal && subject.townshipCode && !withinJurisdiction(context.principal, subject.townshipCode))
      return null;
    return (await indexedLoopOf(context)).subjectLoop.of(subject, asOf ?? null, scope, gapPolicy(context, info));
  },
};

/** Breaks and records shown to the caller, each decided by what its kind reveals. */
function gapPolicy(context: GatewayContext, info: GraphQLResolveInfo): LoopGapPolicy {
  const outputs = DerivedOutputs.of(info.schema, context.permissions);
  return {
    showGap: (kind) => outputs.show(`LoopGapKind.${kind}`),
    showRecord: (record) => outputs.show(`LoopRecordKind.${record}`),
    onUncovered: context.warnings.calendarNotCovered,
  };
}

/** The asked kinds the caller may not see, each with the rule that refused it (recorded as a denial). */
function withheldKinds(asked: readonly LoopGapKind[], outputs: DerivedOutputs) {
  return [...new Set(asked)].flatMap((kind) => {
    const output = `LoopGapKind.${kind}`;
    if (outputs.wouldShow(output)) return [];
    const refusal = outputs.decide(output);
    if (refusal === true) return [];
    const { rule, field } = refusal.extensions as { rule?: string; field?: string };
    return [{ kind, rule: rule ?? 'undeclared', field: field ?? output }];
  });
}

export const LoopGap: LoopGapResolvers = {
  responsibleAuthority: async (gap, _, { loaders }) =>
    gap.responsibleAuthorityCode
      ? ((await loaders.reference()).authorities.get(gap.responsibleAuthorityCode) ?? null)
      : null,
};

export const LoopFeedFreshness: LoopFeedFreshnessResolvers = {
  records: ({ feed, records }, _, { permissions }) => {
    const refusal = feedCountRefusal(feed, permissions);
    if (refusal) throw refusal;
    return records ?? null;
  },
};

export const LoopIndexFreshness: LoopIndexFreshnessResolvers = {
  // The total would tell a withheld feed's count by subtraction: withheld with the first one.
  records: ({ feeds, records }, _, { permissions }) => {
    for (const { feed } of feeds) {
      const refusal = feedCountRefusal(feed, permissions);
      if (refusal) throw refusal;
    }
    return records ?? null;
  },
};

export const AuthorityPerformance: AuthorityPerformanceResolvers = {
  authority: async (unit, _, { loaders }) => (await loaders.reference()).authorities.get(unit.authorityCode) ?? null,
};

export const TownshipPowerUse: TownshipPowerUseResolvers = {
  township: async (use, _, { loaders }) => (await loaders.reference()).jurisdictions.get(use.townshipCode) ?? null,
};
