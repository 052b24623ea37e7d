import type { Logger } from 'pino';
import type { Connectors } from '../../connectors/index.ts';
import type { AgencySystem, SubjectReference } from '../../domain/types.ts';
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
  /** Told of every subject whose records are read or answered, for the access log. */
  onSubject?: (uscc: string) => void;
  /** False only for the benchmark's naive variant (LOADER_BATCHING=off): one upstream request per key. */
  batching?: boolean;
  /**
   * Sources of a system (one of several serving it) that failed so far in this request: their
   * records are missing from answers that otherwise stand, and the timeline names them.
   */
  unavailableSources?: (system: AgencySystem) => ReadonlyArray<{ source: string; reason: string; message: string }>;
  /**
   * Told before subjects are answered from the registry's copy rather than by the approval
   * platform, so that the request says when that copy is behind its feeds.
   */
  onRegistryRead?: () => Promise<void>;
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
  onRegistryRead,
}: LoaderDependencies) {
  const { approval, supervision, enforcement, credit } = connectors;
  const options = { batch: batching };
  // Each loader is named after its key below (the name of its batches' spans), and says whose
  // records it answers: every one answered names its subject in the access log, however it was
  // reached (by its own number, a legacy code, another record), so an auditor asking who read an
  // enterprise finds every answer that held its records.
  const loaderOfOne = <T>(
    name: string,
    fetch: (keys: readonly string[]) => Promise<T[]>,
    keyOf: (record: T) => string,
    subjectOf: SubjectOf<T>,
  ) => oneLoader(naming(fetch, subjectOf), keyOf, { ...options, name });
  const loaderOfMany = <T>(
    name: string,
    fetch: (keys: readonly string[]) => Promise<T[]>,
    keysOf: (record: T) => string | null | readonly string[],
    subjectOf: SubjectOf<T>,
  ) => manyLoader(naming(fetch, subjectOf), keysOf, { ...options, name });
  // A legacy registration number (older inspections) is named as the agency recorded it: looking
  // up its USCC here would cost a store read on the request path, and `accessLog(subject:)` finds
  // such entries by the enterprise's USCC anyway (it matches the legacy number the registry holds).
  const naming =
    <T>(fetch: (keys: readonly string[]) => Promise<T[]>, subjectOf: SubjectOf<T>) =>
    async (keys: readonly string[]): Promise<T[]> => {
      const records = await fetch(keys);
      if (!onSubject || subjectOf === NEVER_ANSWERED) return records;
      for (const record of records) {
        const subject = subjectOf(record);
        if (subject) onSubject(typeof subject === 'string' ? subject : subject.value);
      }
      return records;
    };
  const inJurisdiction =
    <T extends { townshipCode: string }>(fetch: (keys: readonly string[]) => Promise<T[]>) =>
    async (keys: readonly string[]) =>
      visibleTownship ? (await fetch(keys)).filter((record) => visibleTownship(record.townshipCode)) : fetch(keys);
  // Subjects asked for are named even when nothing is found: the attempt is an access too.
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
    (s) => s.uscc,
  );
  const enterpriseByLegacyRegNo = loaderOfOne(
    'enterpriseByLegacyRegNo',
    (keys) => approval.subjectsByLegacyRegNo(keys),
    (s) => s.legacyRegNo ?? '',
    (s) => s.uscc,
  );

  // Rows answered from the registry's copy: the request is told first, to say when the copy is behind.
  const fromRegistry = async <T>(rows: T[]): Promise<T[]> => {
    if (rows.length > 0 && onRegistryRead) await onRegistryRead();
    return rows;
  };

  return {
    enterpriseByUscc,
    subjectByUscc: registryFirstLoader(
      touching(async (keys) =>
        (await fromRegistry(await registry.findByUsccs(keys))).map((row) => [row.uscc, toSubjectParent(row)] as const),
      ),
      enterpriseByUscc,
      logger,
      { ...options, name: 'subjectByUscc' },
    ),
    subjectByLegacyRegNo: registryFirstLoader(
      async (keys) => {
        const rows = await fromRegistry(await registry.findByLegacyRegNos(keys));
        if (onSubject) for (const row of rows) onSubject(row.uscc);
        return rows.map((row) => [row.legacyRegNo ?? '', toSubjectParent(row)] as const);
      },
      enterpriseByLegacyRegNo,
      logger,
      { ...options, name: 'subjectByLegacyRegNo' },
    ),

    permitByNo: loaderOfOne(
      'permitByNo',
      (keys) => approval.permitsByNo(keys),
      (p) => p.permitNo,
      (p) => p.holderUscc,
    ),
    permitsByHolder: loaderOfMany(
      'permitsByHolder',
      touching((keys) => approval.permitsByHolder(keys)),
      (p) => p.holderUscc,
      (p) => p.holderUscc,
    ),

    inspectionById: loaderOfOne(
      'inspectionById',
      inJurisdiction((keys) => supervision.inspectionsById(keys)),
      (i) => i.id,
      inspectedSubject,
    ),
    inspectionsBySubjectCode: loaderOfMany(
      'inspectionsBySubjectCode',
      inJurisdiction((keys) => supervision.inspectionsBySubjectCode(keys)),
      (i) => i.subject.value,
      inspectedSubject,
    ),
    inspectionsByPermitNo: loaderOfMany(
      'inspectionsByPermitNo',
      inJurisdiction((keys) => supervision.inspectionsByPermitNo(keys)),
      (i) => i.permitNo,
      inspectedSubject,
    ),

    clueById: loaderOfOne(
      'clueById',
      inJurisdiction((keys) => enforcement.cluesById(keys)),
      (c) => c.id,
      (c) => c.subjectUscc,
    ),
    cluesBySubject: loaderOfMany(
      'cluesBySubject',
      inJurisdiction(touching((keys) => enforcement.cluesBySubject(keys))),
      (c) => c.subjectUscc,
      (c) => c.subjectUscc,
    ),
    cluesByInspection: loaderOfMany(
      'cluesByInspection',
      inJurisdiction((keys) => enforcement.cluesByInspection(keys)),
      (c) => c.inspectionId,
      (c) => c.subjectUscc,
    ),

    caseByNo: loaderOfOne(
      'caseByNo',
      inJurisdiction((keys) => enforcement.casesByNo(keys)),
      (c) => c.caseNo,
      (c) => c.subjectUscc,
    ),
    /**
     * Cases wherever they lie, never answered to a caller: only to place a row that hangs on a
     * case (a penalty lies where its case arose), so a township team's owner standing is decided.
     */
    caseAnywhereByNo: loaderOfOne(
      'caseAnywhereByNo',
      (keys) => enforcement.casesByNo(keys),
      (c) => c.caseNo,
      NEVER_ANSWERED,
    ),
    casesBySubject: loaderOfMany(
      'casesBySubject',
      inJurisdiction(touching((keys) => enforcement.casesBySubject(keys))),
      (c) => c.subjectUscc,
      (c) => c.subjectUscc,
    ),
    casesByClue: loaderOfMany(
      'casesByClue',
      inJurisdiction((keys) => enforcement.casesByClue(keys)),
      (c) => c.clueId,
      (c) => c.subjectUscc,
    ),

    penaltyByDecisionNo: loaderOfOne(
      'penaltyByDecisionNo',
      (keys) => enforcement.penaltiesByDecisionNo(keys),
      (p) => p.decisionNo,
      (p) => p.subjectUscc,
    ),
    penaltiesBySubject: loaderOfMany(
      'penaltiesBySubject',
      touching((keys) => enforcement.penaltiesBySubject(keys)),
      (p) => p.subjectUscc,
      (p) => p.subjectUscc,
    ),
    penaltiesByCase: loaderOfMany(
      'penaltiesByCase',
      (keys) => enforcement.penaltiesByCase(keys),
      (p) => p.caseNo,
      (p) => p.subjectUscc,
    ),
    penaltiesByPermit: loaderOfMany(
      'penaltiesByPermit',
      (keys) => enforcement.penaltiesByPermit(keys),
      (p) => p.affectedPermitNo,
      (p) => p.subjectUscc,
    ),

    creditProfileByUscc: loaderOfOne(
      'creditProfileByUscc',
      touching((keys) => credit.profilesByUscc(keys)),
      (p) => p.uscc,
      (p) => p.uscc,
    ),
    creditRecordById: loaderOfOne(
      'creditRecordById',
      (keys) => credit.recordsById(keys),
      (r) => r.id,
      (r) => r.subjectUscc,
    ),
    creditRecordsBySubject: loaderOfMany(
      'creditRecordsBySubject',
      touching((keys) => credit.recordsBySubject(keys)),
      (r) => r.subjectUscc,
      (r) => r.subjectUscc,
    ),
    creditRecordsByDecisionNo: loaderOfMany(
      'creditRecordsByDecisionNo',
      (keys) => credit.recordsByDecisionNo(keys),
      (r) => r.decisionNo,
      (r) => r.subjectUscc,
    ),

    reference: () => reference.get(),
    unavailableSources,
  };
}

export type Loaders = ReturnType<typeof createLoaders>;

/** Records only used inside the gateway (to place a row), never answered to the caller. */
const NEVER_ANSWERED = 'never answered';

/**
 * How a loader's records name their subject: a USCC, a reference as the agency recorded it (a
 * legacy registration number), none; or NEVER_ANSWERED.
 */
type SubjectOf<T> = ((record: T) => string | SubjectReference | null) | typeof NEVER_ANSWERED;

/** An inspection names its subject as the supervision system recorded it, a USCC or a legacy number. */
const inspectedSubject = (inspection: { subject: SubjectReference }): SubjectReference => inspection.subject;
