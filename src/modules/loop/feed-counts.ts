import { GraphQLError } from 'graphql';
import { DROPPED_RECORD_REVEALS, JURISDICTION_CONFINED_RESOURCES, type RequestPermissions } from '../access/index.ts';

/**
 * The agency resource each loop-index feed reads, as `DROPPED_RECORD_REVEALS` names them. A
 * further source's feed (`supervision.inspections.zj-sjs`) is named after the system's own.
 */
const FEED_RESOURCES: Readonly<Record<string, string>> = {
  'approval.permits': 'approval.permit',
  'supervision.inspections': 'supervision.inspection',
  'enforcement.clues': 'enforcement.clue',
  'enforcement.cases': 'enforcement.case',
  'enforcement.penalties': 'enforcement.penalty',
  'credit.records': 'credit.record',
};

/** The resource a feed reads; undefined for a feed declared nowhere above (its count is never shown). */
export function feedResource(feed: string): string | undefined {
  return FEED_RESOURCES[feed.split('.').slice(0, 2).join('.')];
}

/**
 * Whether a feed's count may be shown with no caller at all (/metrics takes no token): only where
 * every caller who may read the kind of record may count it, i.e. records not confined to a
 * jurisdiction. The same rule as `feedCountRefusal`'s, for a reader without permissions.
 */
export function feedCountPublic(feed: string): boolean {
  const resource = feedResource(feed);
  return resource !== undefined && !JURISDICTION_CONFINED_RESOURCES.has(resource);
}

/**
 * Why the caller may not see how many records a feed has read, or null when it may. The count
 * spans the whole served area and moves whenever a record of its kind changes anywhere in it (a
 * clue received, a case filed), so it is shown only to a caller who may read that kind of
 * record, as the fields the resource's records reveal; and a count of records confined to a
 * jurisdiction only to a caller whose jurisdiction covers the served area. Recorded like a
 * read of those fields, or as a denial. Without permissions (authentication off), always shown.
 */
export function feedCountRefusal(feed: string, permissions: RequestPermissions | undefined): GraphQLError | null {
  if (!permissions) return null;
  const resource = feedResource(feed);
  const output = `LoopFeedFreshness.records(${feed})`;
  if (resource && JURISDICTION_CONFINED_RESOURCES.has(resource) && !permissions.standing.coversServedArea) {
    permissions.denied.add('LoopFeedFreshness.records');
    return new GraphQLError(
      `Not allowed: ${resource} records are shown to this caller only within its jurisdiction, and the count spans the whole served area.`,
      {
        extensions: {
          code: 'FORBIDDEN',
          rule: 'beyond-jurisdiction',
          field: 'LoopFeedFreshness.records',
          derived: output,
        },
      },
    );
  }
  // Undeclared: decided as a read of the output itself, which no field declaration covers (refused).
  const decision = permissions.reveal((resource && DROPPED_RECORD_REVEALS[resource]) || [output], output);
  return decision === true ? null : decision;
}
