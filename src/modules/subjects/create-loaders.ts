import type { Logger } from 'pino';
import type { Connectors } from '../../connectors/index.ts';
import type { AgencySystem } from '../../domain/types.ts';
import type { SubjectRegistry } from '../registry/index.ts';
import { loaderOfMany as manyLoader, loaderOfOne as oneLoader } from './keyed-loaders.ts';
import type { ReferenceCache } from './reference-cache.ts';
import { registryFirstLoader, toSubjectParent } from './registry-first-loader.ts';

export interface LoaderDependencies {
  connectors: Connectors;
  registry: SubjectRegistry;
  reference: ReferenceCache;
  logger: Pick<Logger, 'warn'>;
  /**
   * Whether the caller may see records of a township. Inspections, clues and cases outside it
   * are left out of every answer (absent from lists, null when asked for by id), never errors.
   */
  visibleTownship?: (townshipCode: string) => boolean;
  /** Told of every subject whose records are read, for the access log. */
  onSubject?: (uscc: string) => void;
  /** False only for the benchmark's naive variant (LOADER_BATCHING=off): one upstream request per key. */
  batching?: boolean;
  /**
   * Sources of a system (one of several serving it) that failed so far in this request: their
   * records are missing from answers that otherwise stand, and the timeline names them.
   */
  unavailableSources?: (system: AgencySystem) => ReadonlyArray<{ source: string; reason: string; message: string }>;
}

/**
 * Every upstream read of one GraphQL request goes through these loaders, so the keys asked for
 * at one depth of the query become one batch request per agency resource. Created per request:
 * the cache must never show one caller another's answers.
 */
export function createLoaders({
  connectors,
  registry,
  reference,
  logger,
  visibleTownship,
  onSubject,
  batching = true,
  unavailableSources = () => [],
}: LoaderDependencies) {
  const { approval, supervision, enforcement, credit } = connectors;
  const options = { batch: batching };
  // Each loader is named after its key below: the name of its batches' spans.
  const loaderOfOne = <T>(
    name: string,
    fetch: (keys: readonly string[]) => Promise<T[]>,
    keyOf: (record: T) => string,
  ) => oneLoader(fetch, keyOf, { ...options, name });
  const loaderOfMany = <T>(
    name: string,
    fetch: (keys: readonly string[]) => Promise<T[]>,
    keysOf: (record: T) => string | null | readonly string[],
  ) => manyLoader(fetch, keysOf, { ...options, name });
  const inJurisdiction =
    <T extends { townshipCode: string }>(fetch: (keys: readonly string[]) => Promise<T[]>) =>
    async (keys: readonly string[]) =>
      visibleTownship ? (await fetch(keys)).filter((record) => visibleTownship(record.townshipCode)) : fetch(keys);
  const touching =
    <T>(fetch: (keys: readonly string[]) => Promise<T[]>) =>
    (keys: readonly string[]) => {
      if (onSubject) for (const key of keys) onSubject(key);
      return fetch(keys);
    };

  const enterpriseByUscc = loaderOfOne(
    'enterpriseByUscc',
    touching((keys) => approval.subjectsByUscc(keys)),
    (s) => s.uscc,
  );
  const enterpriseByLegacyRegNo = loaderOfOne(
    'enterpriseByLegacyRegNo',
    (keys) => approval.subjectsByLegacyRegNo(keys),
    (s) => s.legacyRegNo ?? '',
  );

  return {
    enterpriseByUscc,
    subjectByUscc: registryFirstLoader(
      touching(async (keys) =>
        (await registry.findByUsccs(keys)).map((row) => [row.uscc, toSubjectParent(row)] as const),
      ),
      enterpriseByUscc,
      logger,
      { ...options, name: 'subjectByUscc' },
    ),
    subjectByLegacyRegNo: registryFirstLoader(
      async (keys) =>
        (await registry.findByLegacyRegNos(keys)).map((row) => [row.legacyRegNo ?? '', toSubjectParent(row)] as const),
      enterpriseByLegacyRegNo,
      logger,
      { ...options, name: 'subjectByLegacyRegNo' },
    ),

    permitByNo: loaderOfOne(
      'permitByNo',
      (keys) => approval.permitsByNo(keys),
      (p) => p.permitNo,
    ),
    permitsByHolder: loaderOfMany(
      'permitsByHolder',
      touching((keys) => approval.permitsByHolder(keys)),
      (p) => p.holderUscc,
    ),

    inspectionById: loaderOfOne(
      'inspectionById',
      inJurisdiction((keys) => supervision.inspectionsById(keys)),
      (i) => i.id,
    ),
    inspectionsBySubjectCode: loaderOfMany(
      'inspectionsBySubjectCode',
      inJurisdiction((keys) => supervision.inspectionsBySubjectCode(keys)),
      (i) => i.subject.value,
    ),
    inspectionsByPermitNo: loaderOfMany(
      'inspectionsByPermitNo',
      inJurisdiction((keys) => supervision.inspectionsByPermitNo(keys)),
      (i) => i.permitNo,
    ),

    clueById: loaderOfOne(
      'clueById',
      inJurisdiction((keys) => enforcement.cluesById(keys)),
      (c) => c.id,
    ),
    cluesBySubject: loaderOfMany(
      'cluesBySubject',
      inJurisdiction(touching((keys) => enforcement.cluesBySubject(keys))),
      (c) => c.subjectUscc,
    ),
    cluesByInspection: loaderOfMany(
      'cluesByInspection',
      inJurisdiction((keys) => enforcement.cluesByInspection(keys)),
      (c) => c.inspectionId,
    ),

    caseByNo: loaderOfOne(
      'caseByNo',
      inJurisdiction((keys) => enforcement.casesByNo(keys)),
      (c) => c.caseNo,
    ),
    /**
     * Cases wherever they lie, never answered to a caller: only to place a row that hangs on a
     * case (a penalty lies where its case arose), so a township team's owner standing is decided.
     */
    caseAnywhereByNo: loaderOfOne(
      'caseAnywhereByNo',
      (keys) => enforcement.casesByNo(keys),
      (c) => c.caseNo,
    ),
    casesBySubject: loaderOfMany(
      'casesBySubject',
      inJurisdiction(touching((keys) => enforcement.casesBySubject(keys))),
      (c) => c.subjectUscc,
    ),
    casesByClue: loaderOfMany(
      'casesByClue',
      inJurisdiction((keys) => enforcement.casesByClue(keys)),
      (c) => c.clueId,
    ),

    penaltyByDecisionNo: loaderOfOne(
      'penaltyByDecisionNo',
      (keys) => enforcement.penaltiesByDecisionNo(keys),
      (p) => p.decisionNo,
    ),
    penaltiesBySubject: loaderOfMany(
      'penaltiesBySubject',
      touching((keys) => enforcement.penaltiesBySubject(keys)),
      (p) => p.subjectUscc,
    ),
    penaltiesByCase: loaderOfMany(
      'penaltiesByCase',
      (keys) => enforcement.penaltiesByCase(keys),
      (p) => p.caseNo,
    ),
    penaltiesByPermit: loaderOfMany(
      'penaltiesByPermit',
      (keys) => enforcement.penaltiesByPermit(keys),
      (p) => p.affectedPermitNo,
    ),

    creditProfileByUscc: loaderOfOne(
      'creditProfileByUscc',
      touching((keys) => credit.profilesByUscc(keys)),
      (p) => p.uscc,
    ),
    creditRecordById: loaderOfOne(
      'creditRecordById',
      (keys) => credit.recordsById(keys),
      (r) => r.id,
    ),
    creditRecordsBySubject: loaderOfMany(
      'creditRecordsBySubject',
      touching((keys) => credit.recordsBySubject(keys)),
      (r) => r.subjectUscc,
    ),
    creditRecordsByDecisionNo: loaderOfMany(
      'creditRecordsByDecisionNo',
      (keys) => credit.recordsByDecisionNo(keys),
      (r) => r.decisionNo,
    ),

    reference: () => reference.get(),
    unavailableSources,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
