import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { DroppedRecord, SourceFailure } from '../connectors/index.ts';
import { DROPPED_RECORD_REVEALS, JURISDICTION_CONFINED_RESOURCES } from '../modules/access/dropped-record-reveals.ts';
import type { RequestPermissions } from '../modules/access/request-permissions.ts';

import type { UncoveredListener } from '../domain/working-days.ts';
import type { ChangeFeedSync } from '../platform/change-feed-sync.ts';
import type { UpstreamErrorCode } from '../platform/errors.ts';

/** A non-fatal notice about the answer, sent in `extensions.warnings` of the response. */
export type ResponseWarning =
  | RecordDroppedWarning
  | CalendarNotCoveredWarning
  | SourceUnavailableWarning
  | OwnerStandingUnavailableWarning
  | FeedsBehindWarning
  | InspectionNotCheckedWarning;

/**
 * Some change feeds a copy the gateway keeps in its store (the loop index, the subject registry)
 * follows failed at their last sync: what is computed from that copy (breaks, a subject's loop,
 * assessment figures; a search of subjects) is as of the last page stored of each, so a clue
 * answered meanwhile may still count as unanswered, and a new record be missing. Names feeds,
 * never a record: the same to every caller, as `loopIndexFreshness` tells it.
 */
export interface FeedsBehindWarning {
  code: 'FEEDS_BEHIND';
  message: string;
  /** Which copy: `loop index` or `subject registry`. */
  copy: FeedCopy;
  feeds: Array<{ feed: string; reason: string; syncedAt: string | null }>;
}

/** The copies of agency feeds the gateway keeps in its store and answers from. */
export type FeedCopy = 'loop index' | 'subject registry';

/**
 * The area the gateway serves is not known (no SERVED_JURISDICTION, and the enforcement system's
 * reference data has never loaded), so nobody reads as a system's own authority. Given to every
 * authenticated caller alike: without it a permit officer refused its own system's data would see
 * only `purpose-required`, as if its standing were wrong.
 */
export interface OwnerStandingUnavailableWarning {
  code: 'OWNER_STANDING_UNAVAILABLE';
  message: string;
}

/**
 * A clue transfer was stored although the inspection it names could not be checked (the
 * supervision system failed): the link may be wrong. Names only what the sender itself sent.
 */
export interface InspectionNotCheckedWarning {
  code: 'INSPECTION_NOT_CHECKED';
  message: string;
  system: 'supervision';
  inspectionId: string;
  /** How the check failed: `UPSTREAM_UNAVAILABLE`, `UPSTREAM_TIMEOUT` or `UPSTREAM_BAD_RESPONSE`. */
  reason: UpstreamErrorCode;
}

/**
 * One source of a system served by several (a provincial platform beside the county's system)
 * failed: the answer holds the other sources' records only. Names the source, never a record.
 */
export interface SourceUnavailableWarning {
  code: 'UPSTREAM_SOURCE_UNAVAILABLE';
  message: string;
  system: SourceFailure['system'];
  source: string;
  resource: string;
  /** How it failed: `UPSTREAM_UNAVAILABLE`, `UPSTREAM_TIMEOUT` or `UPSTREAM_BAD_RESPONSE`. */
  reason: SourceFailure['code'];
}

export interface RecordDroppedWarning {
  code: 'UPSTREAM_RECORD_DROPPED';
  message: string;
  system: DroppedRecord['system'];
  resource: string;
  id: string | null;
  field: string | null;
}

/** A working-day count needed days in a year the holiday calendar does not hold. */
export interface CalendarNotCoveredWarning {
  code: 'CALENDAR_NOT_COVERED';
  message: string;
  /** The span of days the answer's working-day counts needed beyond the calendar. */
  from: string;
  to: string;
  lastCoveredDate: string | null;
}

/**
 * Connectors drop records they cannot map (an unknown status code, a malformed date) and keep
 * the rest, which would make an incomplete list look complete: a permit office could miss a
 * penalty. Each GraphQL request has its own RequestWarnings in its context, handed explicitly to
 * the connectors and the calendar it uses (`reportingTo`), and the response says, in
 * `extensions.warnings`, which records are missing and why. No async scope: an
 * AsyncLocalStorage on the request path makes Node run promise hooks for every promise in the
 * process (bench/RESULTS-fixedcost.notes.md).
 */
export class RequestWarnings {
  /** Made on the first warning: most requests have none. */
  #warnings: Map<string, ResponseWarning> | undefined;

  /** The warnings reported so far, in the order they were first reported. */
  get reported(): readonly ResponseWarning[] {
    return this.#warnings ? [...this.#warnings.values()] : [];
  }

  #set(key: string, warning: ResponseWarning): void {
    (this.#warnings ??= new Map()).set(key, warning);
  }

  /** A connector's `onDroppedRecord` listener for this request. */
  readonly droppedRecord = (record: DroppedRecord): void => {
    const key = `${record.system}/${record.resource}/${record.id ?? ''}`;
    const field = record.field ? ` (field ${record.field})` : '';
    this.#set(key, {
      code: 'UPSTREAM_RECORD_DROPPED',
      message: `The ${record.system} system's ${record.resource} ${record.id ?? 'record'} could not be read${field} and is left out of this answer.`,
      ...record,
    });
  };

  /** The connectors' `onSourceFailure` listener: one warning per failed source and resource in a response. */
  readonly sourceUnavailable = (failure: SourceFailure): void => {
    this.#set(`source/${failure.system}/${failure.source}/${failure.resource}`, {
      code: 'UPSTREAM_SOURCE_UNAVAILABLE',
      message: `The ${failure.source} source of the ${failure.system} system could not be read (${failure.code}); its ${failure.resource} records are missing from this answer.`,
      system: failure.system,
      source: failure.source,
      resource: failure.resource,
      reason: failure.code,
    });
  };

  /** The transfer service's listener: the clue's inspection went unchecked because the supervision system failed. */
  readonly inspectionNotChecked = (inspectionId: string, failure: { code: UpstreamErrorCode }): void => {
    this.#set(`inspection/${inspectionId}`, {
      code: 'INSPECTION_NOT_CHECKED',
      message: `Inspection ${inspectionId} was not checked against the supervision system (${failure.code}): it may not exist or be about another subject.`,
      system: 'supervision',
      inspectionId,
      reason: failure.code,
    });
  };

  /** Sources of `system` that failed so far in this request. */
  readonly unavailableSources = (system: SourceFailure['system']): SourceUnavailableWarning[] =>
    this.reported.filter(
      (warning): warning is SourceUnavailableWarning =>
        warning.code === 'UPSTREAM_SOURCE_UNAVAILABLE' && warning.system === system,
    );

  /**
   * Told by every field computed from a copy before it reads it: warns (one warning per copy and
   * response) while some of the copy's feeds failed at their last sync.
   */
  readonly readingCopy = (copy: FeedCopy, sync: Pick<ChangeFeedSync, 'failingFeeds'>): Promise<void> => {
    // Once per copy and request: a list of subjects asks for each one's loop, and while a feed
    // fails each ask would otherwise read the store for the same answer.
    const checks = (this.#copiesChecked ??= new Map());
    let check = checks.get(copy);
    if (!check) checks.set(copy, (check = this.#warnIfBehind(copy, sync)));
    return check;
  };

  #copiesChecked: Map<FeedCopy, Promise<void>> | undefined;

  async #warnIfBehind(copy: FeedCopy, sync: Pick<ChangeFeedSync, 'failingFeeds'>): Promise<void> {
    const feeds = await sync.failingFeeds();
    if (feeds.length === 0) return;
    const named = feeds.map(({ feed, syncedAt }) => `${feed} (as of ${syncedAt ?? 'never'})`).join(', ');
    this.#set(`feeds-behind/${copy}`, {
      code: 'FEEDS_BEHIND',
      message:
        `The ${copy} could not follow ${named} at its last sync: what is computed from it is as of then, ` +
        'and may miss or still show what those agencies changed since. This recovers by itself once the feeds sync.',
      copy,
      feeds: feeds.map(({ feed, lastError, syncedAt }) => ({ feed, reason: lastError.code, syncedAt })),
    });
  }

  /** Told to every authenticated caller while the served area is unknown: one warning per response. */
  readonly ownerStandingUnavailable = (): void => {
    this.#set('owner-standing', {
      code: 'OWNER_STANDING_UNAVAILABLE',
      message:
        "Owner standing is unavailable: the area this gateway serves is not known, because the enforcement system's reference data could not be loaded (and SERVED_JURISDICTION is not set). " +
        "Until it is, no authority reads a system's fields as their owner, nor under a grant to its kind: such fields are decided as for any other consumer. This recovers by itself once the reference data loads.",
    });
  };

  /**
   * The holiday calendar's `onUncovered` listener: one warning per response, spanning every
   * uncovered computation the request made, so a due date in an unpublished year never looks sure.
   */
  readonly calendarNotCovered: UncoveredListener = (span): void => {
    const earlier = this.#warnings?.get('calendar');
    const from =
      earlier && earlier.code === 'CALENDAR_NOT_COVERED' && earlier.from < span.from ? earlier.from : span.from;
    const to = earlier && earlier.code === 'CALENDAR_NOT_COVERED' && earlier.to > span.to ? earlier.to : span.to;
    this.#set('calendar', {
      code: 'CALENDAR_NOT_COVERED',
      message:
        `Working days between ${from} and ${to} were counted beyond the holiday calendar (it ends ${span.lastCoveredDate ?? 'nowhere: it is empty'}): ` +
        "weekends and the fixed-date statutory holidays only, without that year's 调休. Figures marked calendarCovered: false may change once the State Council notice is added (HOLIDAY_CALENDAR_PATH).",
      from,
      to,
      lastCoveredDate: span.lastCoveredDate,
    });
  };
}

/**
 * Adds the request's warnings (`context.warnings`) to its response, each only as far as the
 * caller may read what it reveals (`DROPPED_RECORD_REVEALS`): the same rules as the fields,
 * recorded in the access log like them. Runs before the access-log plugin's hook, so what it
 * reveals is logged.
 */
export function requestWarningsPlugin<
  TContext extends BaseContext & { permissions?: RequestPermissions; warnings?: RequestWarnings },
>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const warnings = contextValue.warnings?.reported ?? [];
          if (warnings.length === 0 || response.body.kind !== 'single') return;
          const shown = warnings.flatMap((warning) => shownWarning(warning, contextValue.permissions));
          if (shown.length === 0) return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, warnings: shown };
        },
      };
    },
  };
}

function shownWarning(warning: ResponseWarning, permissions: RequestPermissions | undefined): ResponseWarning[] {
  // A calendar notice names days, a source notice a source, a standing notice the gateway's own
  // state and an inspection notice what the sender sent: none reveals anything of an enterprise.
  if (!permissions || warning.code !== 'UPSTREAM_RECORD_DROPPED') return [warning];
  const resource = `${warning.system}.${warning.resource}`;
  const sources = DROPPED_RECORD_REVEALS[resource];
  if (!sources || permissions.reveal(sources, `UPSTREAM_RECORD_DROPPED.${resource}`) !== true) return [];
  if (warning.id === null || !JURISDICTION_CONFINED_RESOURCES.has(resource)) return [warning];
  return [
    {
      ...warning,
      id: null,
      message: `The ${warning.system} system's ${warning.resource} record could not be read and is left out of this answer.`,
    },
  ];
}
