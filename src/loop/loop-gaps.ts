import { chinaToday } from '../domain/china-time.ts';
import type { Authority } from '../domain/types.ts';
import { BadUserInputError } from '../errors.ts';
import type { LoopGapStore } from '../store/loop-gap-store.ts';
import { LOOP_GAP_KINDS, type LoopGapKind, type LoopGapRow, type LoopGapSqlFilter } from '../store/loop-gaps-sql.ts';

export type { LoopGapKind } from '../store/loop-gaps-sql.ts';

export interface LoopGapFilter {
  kinds?: readonly LoopGapKind[] | null;
  townshipCode?: string | null;
  authorityCode?: string | null;
  /** Breaks whose due day lies in [from, to]. */
  from?: string | null;
  to?: string | null;
  /** The day deadlines are measured against; today (China time) by default. */
  asOf?: string | null;
}

export type LoopGapRecordKind = 'PERMIT' | 'INSPECTION' | 'CLUE' | 'CASE' | 'PENALTY' | 'CREDIT_RECORD';

/** One break in the loop, with the records that show it and the authority that should act. */
export interface LoopGap {
  kind: LoopGapKind;
  /** The record the break is about (permit, inspection, clue, penalty or credit record). */
  recordId: string;
  subjectUscc: string;
  townshipCode: string | null;
  responsibleAuthorityCode: string | null;
  /** The day by which the loop should have closed at this point. */
  dueOn: string;
  evidence: Array<{ record: LoopGapRecordKind; id: string; on: string | null }>;
}

export interface LoopGapConnection {
  totalCount: number;
  countsByKind: Array<{ kind: LoopGapKind; count: number }>;
  items: LoopGap[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const MAX_PAGE = 500;
const CURSOR_PREFIX = 'gap:';

/** Loop breaks computed from the loop index, filtered, confined to the caller's jurisdiction and paged. */
export class LoopGapsService {
  constructor(
    private readonly store: LoopGapStore,
    private readonly authorities: () => Promise<readonly Authority[]>,
    private readonly today: () => string = () => chinaToday(),
  ) {}

  async list(filter: LoopGapFilter, first: number, after: string | null, scope: string | null): Promise<LoopGapConnection> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE}, got ${first}`);
    }
    const sqlFilter = await this.#sqlFilter(filter, scope, null);
    const page = await this.store.page(sqlFilter, first, after === null ? null : decodeGapCursor(after));
    const items = page.rows.map(toGap);
    const last = items.at(-1);
    const countsByKind = LOOP_GAP_KINDS.flatMap((kind) => (page.countsByKind[kind] ? [{ kind, count: page.countsByKind[kind]! }] : []));
    return {
      totalCount: countsByKind.reduce((sum, c) => sum + c.count, 0),
      countsByKind,
      items,
      endCursor: last ? encodeGapCursor(last.kind, last.recordId) : null,
      hasNextPage: page.hasNextPage,
    };
  }

  /** Every break of one subject. */
  async ofSubject(subjectUscc: string, asOf: string | null, scope: string | null): Promise<LoopGap[]> {
    return (await this.store.ofSubject(await this.#sqlFilter({ asOf }, scope, subjectUscc))).map(toGap);
  }

  async #sqlFilter(filter: LoopGapFilter, scope: string | null, subjectUscc: string | null): Promise<LoopGapSqlFilter> {
    const from = filter.from ?? null;
    const to = filter.to ?? null;
    if (from !== null && to !== null && to < from) throw new BadUserInputError(`to (${to}) is before from (${from})`);
    const kinds = filter.kinds && filter.kinds.length > 0 ? filter.kinds : LOOP_GAP_KINDS;
    const township = filter.townshipCode?.trim() || null;
    if (township !== null && !/^\d{6}(\d{3})?$/.test(township)) {
      throw new BadUserInputError(`townshipCode must be a 6-digit county or 9-digit township code, got ${JSON.stringify(township)}`);
    }
    const creditCentres = (await this.authorities())
      .filter((a) => a.kind === 'CREDIT_CENTRE')
      .map((a) => ({ code: a.code, jurisdictionCode: a.jurisdictionCode }));
    return {
      asOf: filter.asOf ?? this.today(),
      kinds,
      townshipPrefixes: [...(scope === null ? [] : [scope]), ...(township === null ? [] : [township])],
      authorityCode: filter.authorityCode?.trim() || null,
      subjectUscc,
      from,
      to,
      creditCentres,
    };
  }
}

function toGap(row: LoopGapRow): LoopGap {
  return {
    kind: row.kind,
    recordId: row.ref,
    subjectUscc: row.subject,
    townshipCode: row.township,
    responsibleAuthorityCode: row.authority,
    dueOn: row.dueOn,
    evidence: row.evidence.map((e) => ({ record: e.record as LoopGapRecordKind, id: e.id, on: e.on })),
  };
}

function encodeGapCursor(kind: string, ref: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${JSON.stringify([kind, ref])}`, 'utf8').toString('base64url');
}

function decodeGapCursor(cursor: string): { kind: string; ref: string } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  try {
    if (!text.startsWith(CURSOR_PREFIX)) throw new Error('prefix');
    const [kind, ref] = JSON.parse(text.slice(CURSOR_PREFIX.length)) as unknown[];
    if (typeof kind !== 'string' || typeof ref !== 'string' || encodeGapCursor(kind, ref) !== cursor) throw new Error('shape');
    return { kind, ref };
  } catch {
    throw new BadUserInputError(`after is not a cursor this query returned: ${JSON.stringify(cursor)}`);
  }
}
