import {
  getNamedType,
  isObjectType,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type SelectionSetNode,
} from 'graphql';
import type DataLoader from 'dataloader';
import type { Permit, Subject } from '../../domain/types.ts';
import type { PageRecords, Settled, SubjectParent } from './mappers.ts';

export type { PageRecords, Settled } from './mappers.ts';

/** The request's loaders a page reads its records through. */
export interface PageRecordLoaders {
  enterpriseByUscc: Pick<DataLoader<string, Subject | null>, 'load'>;
  permitsByHolder: Pick<DataLoader<string, Permit[]>, 'load'>;
}

/**
 * The Subject fields a page may answer from records loaded for the whole page, by the record
 * each reads. Only fields every caller may read (UNCONDITIONAL, no role, revealing nothing) may
 * be here: a gated field's data must not be fetched before its rule has allowed it.
 * test/gateway/page-records.test.ts checks this against the schema's declarations.
 */
export const PAGE_RECORD_FIELDS = {
  enterprise: ['kind', 'industryCode', 'establishedOn', 'address', 'legalRepresentative'],
  permits: ['permits'],
} as const satisfies Record<keyof PageRecords, readonly string[]>;

/**
 * Loads, for a page of subjects, the per-subject records its rows select (the approval
 * platform's enterprise details, the permits), through the request's own loaders (the same
 * batches, touched subjects and warnings) and in one tick (so in parallel, as the rows' own
 * resolvers would have asked), then gives each row its settled records. The rows' fields then
 * answer without a promise each: on a list of 100 subjects, the per-row, per-field promises
 * (a loader cache hit, a `.then`, the executor's bookkeeping of an async field) were the largest
 * part of what the gateway allocated beyond the agencies' answers (bench/notes/largelist.md).
 *
 * Only when nothing else below the rows waits: the rows are handed on once every record has
 * settled, so a field with a resolver of its own (a credit profile, a permit's inspections)
 * would start later than it does row by row. Otherwise the rows go on as they came.
 */
export async function withPageRecords(
  rows: readonly SubjectParent[],
  loaders: PageRecordLoaders,
  info: GraphQLResolveInfo,
): Promise<SubjectParent[]> {
  const wanted = pageRecordsWanted(info);
  if (!wanted) return [...rows];
  const usccs = rows.map((row) => row.uscc);
  const [enterprises, permits] = await Promise.all([
    wanted.has('enterprise') ? settleAll(usccs.map((uscc) => loaders.enterpriseByUscc.load(uscc))) : undefined,
    wanted.has('permits') ? settleAll(usccs.map((uscc) => loaders.permitsByHolder.load(uscc))) : undefined,
  ]);
  // New rows, all of one shape: a registry page may be kept and shared between requests.
  return rows.map((row, i) => ({
    uscc: row.uscc,
    legacyRegNo: row.legacyRegNo,
    name: row.name,
    townshipCode: row.townshipCode,
    page: { enterprise: enterprises?.[i], permits: permits?.[i] },
  }));
}

/**
 * Each load's value, or its error, as DataLoader's `loadMany` settles them, without its promise
 * per key to catch each one (on a page of 100 subjects, two loaders: 200 promises and closures,
 * bench/notes/largelist2.md). Only when a load failed are they settled one by one.
 */
async function settleAll<T>(loads: ReadonlyArray<Promise<T>>): Promise<Array<Settled<T>>> {
  try {
    return await Promise.all(loads);
  } catch {
    return Promise.all(loads.map((load) => load.catch(asSettledError)));
  }
}

/** A loader rejects with an Error; anything else thrown is made one, so `settledValue` throws it. */
function asSettledError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

const RECORD_OF_FIELD = new Map<string, keyof PageRecords>(
  Object.entries(PAGE_RECORD_FIELDS).flatMap(([record, fields]) =>
    fields.map((field) => [field, record as keyof PageRecords] as const),
  ),
);

/**
 * The page records the `nodes` of the field being resolved select, or null when none is
 * selected or some selected field would wait on something else: a Subject field with a resolver
 * of its own that is not a page record's, or anything with a resolver below a page record's field.
 */
function pageRecordsWanted(info: GraphQLResolveInfo): Set<keyof PageRecords> | null {
  const subject = info.schema.getType('Subject');
  if (!isObjectType(subject)) return null;
  const wanted = new Set<keyof PageRecords>();
  let answerable = true;
  forEachField(
    info.fragments,
    info.fieldNodes.map((node) => node.selectionSet),
    (name, nodes) => {
      if (name === CONDITIONAL) answerable = false;
      if (name !== 'nodes') return;
      forEachField(info.fragments, [nodes], (field, below) => {
        if (field === CONDITIONAL) answerable = false;
        const record = RECORD_OF_FIELD.get(field);
        const definition = subject.getFields()[field];
        if (record) {
          wanted.add(record);
          if (definition && !withoutResolvers(info.fragments, getNamedType(definition.type), below)) answerable = false;
        } else if (field !== '__typename' && definition?.resolve !== undefined) {
          answerable = false;
        }
      });
    },
  );
  return answerable && wanted.size > 0 ? wanted : null;
}

/** Whether every field selected below (at any depth) is read straight from its parent record. */
function withoutResolvers(
  fragments: Record<string, FragmentDefinitionNode>,
  type: GraphQLNamedType,
  set: SelectionSetNode | undefined,
): boolean {
  if (!isObjectType(type)) return true;
  let plain = true;
  forEachField(fragments, [set], (name, below) => {
    if (name === '__typename') return;
    if (name === CONDITIONAL) plain = false;
    const definition = type.getFields()[name];
    if (!definition || definition.resolve !== undefined) plain = false;
    else if (!withoutResolvers(fragments, getNamedType(definition.type), below)) plain = false;
  });
  return plain;
}

/**
 * Stands for a selection under a directive (`@skip`, `@include`): whether it is executed depends on
 * the variables, so a page must not load records for it (the loads touch subjects, which the
 * access log records, and may warn of agencies that failed for data never asked for).
 */
const CONDITIONAL = '@conditional';

/**
 * Each field selected directly in these sets, through fragments and inline fragments, with its own
 * selection set; a selection under a directive is reported as `CONDITIONAL` instead.
 */
function forEachField(
  fragments: Record<string, FragmentDefinitionNode>,
  sets: ReadonlyArray<SelectionSetNode | undefined>,
  onField: (name: string, set: SelectionSetNode | undefined) => void,
): void {
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode | undefined): void => {
    for (const selection of set?.selections ?? []) {
      if (selection.directives?.length) onField(CONDITIONAL, undefined);
      else if (selection.kind === 'Field') onField(selection.name.value, selection.selectionSet);
      else if (selection.kind === 'InlineFragment') visit(selection.selectionSet);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const set of sets) visit(set);
}

/** A page record's value, or its error thrown, so the field answers with it as it would have from its loader. */
export function settledValue<T>(settled: Settled<T>): T {
  if (settled instanceof Error) throw settled;
  return settled;
}
