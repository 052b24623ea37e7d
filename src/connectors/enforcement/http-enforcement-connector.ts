import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Authority, Case, Clue, Jurisdiction, Penalty, PowerItem } from '../../domain/types.ts';
import { ResilientHttpClient, inBatches } from '../http/index.ts';
import type { ResilientHttpOptions } from '../http/index.ts';
import { arrayPayload, mapRecords, objectPayload } from '../mapping/index.ts';
import { type BadRecordSink, badRecordSink } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import type { ClueSubmission, EnforcementConnector, SubmittedClue } from './enforcement-connector.ts';
import {
  enforcementChangesQuery,
  enforcementListQuery,
  openEnforcementEnvelope,
  parseEnforcementChanges,
  parseEnforcementRows,
  toAuthority,
  toCase,
  toClue,
  toFeedPage,
  toJurisdiction,
  toPage,
  toPenalty,
  toPowerItem,
} from './enforcement-format.ts';
import type {
  EnforcementResource,
  RawCase,
  RawClue,
  RawItem,
  RawOrg,
  RawPenalty,
  RawRegion,
} from './enforcement-format.ts';

/** How to map one of the system's record types. */
interface RecordKind<R, D> {
  /** Name in metrics and logs. */
  name: string;
  map: (raw: R) => D;
  idOf: (raw: R) => unknown;
}

/** A case-file resource, which also has batch, list and change-feed endpoints under its path. */
interface ResourceKind<R, D> extends RecordKind<R, D> {
  path: EnforcementResource;
}

const CLUE: ResourceKind<RawClue, Clue> = { path: 'CLUE', name: 'clue', map: toClue, idOf: (raw) => raw.CLUE_ID };
const CASE: ResourceKind<RawCase, Case> = { path: 'CASE', name: 'case', map: toCase, idOf: (raw) => raw.CASE_NO };
const PENALTY: ResourceKind<RawPenalty, Penalty> = {
  path: 'PENALTY',
  name: 'penalty',
  map: toPenalty,
  idOf: (raw) => raw.DECISION_NO,
};
const REGION: RecordKind<RawRegion, Jurisdiction> = {
  name: 'region',
  map: toJurisdiction,
  idOf: (raw) => raw.REGION_CODE,
};
const ORG: RecordKind<RawOrg, Authority> = { name: 'org', map: toAuthority, idOf: (raw) => raw.ORG_CODE };
const ITEM: RecordKind<RawItem, PowerItem> = { name: 'item', map: toPowerItem, idOf: (raw) => raw.ITEM_CODE };

export class HttpEnforcementConnector implements EnforcementConnector {
  readonly system = 'enforcement';
  private readonly http: ResilientHttpClient;
  private readonly sink: BadRecordSink;

  constructor(options: Omit<ResilientHttpOptions, 'system'>) {
    this.http = new ResilientHttpClient({ ...options, system: 'enforcement' }, openEnforcementEnvelope);
    this.sink = badRecordSink('enforcement', options);
  }

  cluesById(ids: readonly string[]): Promise<Clue[]> {
    return this.batch(CLUE, 'CLUE_ID', ids);
  }

  cluesBySubject(usccs: readonly string[]): Promise<Clue[]> {
    return this.batch(CLUE, 'SUBJECT_USCC', usccs);
  }

  cluesByInspection(inspectionIds: readonly string[]): Promise<Clue[]> {
    return this.batch(CLUE, 'INSPECTION_ID', inspectionIds);
  }

  listClues(page: PageRequest): Promise<Page<Clue>> {
    return this.list(CLUE, page);
  }

  clueChanges(cursor: string | null, limit: number): Promise<FeedPage<Clue>> {
    return this.changes(CLUE, cursor, limit);
  }

  async submitClue(submission: ClueSubmission): Promise<SubmittedClue> {
    const answer = await this.http.call({
      operation: 'clue.submit',
      method: 'POST',
      path: '/zf/api/CLUE/SUBMIT',
      body: {
        EXTERNAL_ID: submission.transferId,
        SUBJECT_USCC: submission.subjectUscc,
        ITEM_CODE: submission.powerItemCode,
        SENDER_ORG: submission.senderCode,
        RECEIVER_ORG: submission.receiverCode,
        REGION_CODE: submission.townshipCode,
        INSPECTION_ID: submission.inspectionId,
        SEND_TIME: submission.sentAtMs,
      },
      // A POST, but safe to repeat: the case system keeps one clue per EXTERNAL_ID.
      idempotent: true,
      parse: objectPayload<{ CLUE_ID: string; CREATED: number }>({ CLUE_ID: 'string', CREATED: 'number' }),
    });
    return { clueId: answer.CLUE_ID, created: answer.CREATED === 1 };
  }

  casesByNo(caseNos: readonly string[]): Promise<Case[]> {
    return this.batch(CASE, 'CASE_NO', caseNos);
  }

  casesBySubject(usccs: readonly string[]): Promise<Case[]> {
    return this.batch(CASE, 'SUBJECT_USCC', usccs);
  }

  casesByClue(clueIds: readonly string[]): Promise<Case[]> {
    return this.batch(CASE, 'CLUE_ID', clueIds);
  }

  listCases(page: PageRequest): Promise<Page<Case>> {
    return this.list(CASE, page);
  }

  caseChanges(cursor: string | null, limit: number): Promise<FeedPage<Case>> {
    return this.changes(CASE, cursor, limit);
  }

  penaltiesByDecisionNo(decisionNos: readonly string[]): Promise<Penalty[]> {
    return this.batch(PENALTY, 'DECISION_NO', decisionNos);
  }

  penaltiesBySubject(usccs: readonly string[]): Promise<Penalty[]> {
    return this.batch(PENALTY, 'SUBJECT_USCC', usccs);
  }

  penaltiesByCase(caseNos: readonly string[]): Promise<Penalty[]> {
    return this.batch(PENALTY, 'CASE_NO', caseNos);
  }

  penaltiesByPermit(permitNos: readonly string[]): Promise<Penalty[]> {
    return this.batch(PENALTY, 'PERMIT_NO', permitNos);
  }

  listPenalties(page: PageRequest): Promise<Page<Penalty>> {
    return this.list(PENALTY, page);
  }

  penaltyChanges(cursor: string | null, limit: number): Promise<FeedPage<Penalty>> {
    return this.changes(PENALTY, cursor, limit);
  }

  jurisdictions(): Promise<Jurisdiction[]> {
    return this.reference(REGION, 'REGIONS');
  }

  authorities(): Promise<Authority[]> {
    return this.reference(ORG, 'ORGS');
  }

  powerItems(): Promise<PowerItem[]> {
    return this.reference(ITEM, 'ITEMS');
  }

  async ping(): Promise<void> {
    await this.http.call({
      operation: 'ping',
      method: 'GET',
      path: '/zf/api/CASE/LIST',
      query: { PAGE_NO: 1, PAGE_SIZE: 1 },
      idempotent: true,
      parse: parseEnforcementRows<RawCase>,
    });
  }

  private batch<R, D>(kind: ResourceKind<R, D>, field: string, keys: readonly string[]): Promise<D[]> {
    return inBatches(keys, async (values) => {
      const raws = await this.http.call({
        operation: `${kind.name}.batch.${field}`,
        method: 'POST',
        path: `/zf/api/${kind.path}/BATCH`,
        body: { FIELD: field, VALUES: values },
        idempotent: true,
        batchKeys: values.length,
        parse: arrayPayload<R>,
      });
      return this.map(kind, raws);
    });
  }

  private async list<R, D>(kind: ResourceKind<R, D>, page: PageRequest): Promise<Page<D>> {
    const raw = await this.http.call({
      operation: `${kind.name}.list`,
      method: 'GET',
      path: `/zf/api/${kind.path}/LIST`,
      query: enforcementListQuery(page),
      idempotent: true,
      parse: parseEnforcementRows<R>,
    });
    return toPage(raw, this.map(kind, raw.ROWS));
  }

  private async changes<R, D>(kind: ResourceKind<R, D>, cursor: string | null, limit: number): Promise<FeedPage<D>> {
    const raw = await this.http.call({
      operation: `${kind.name}.changes`,
      method: 'GET',
      path: `/zf/api/${kind.path}/CHANGES`,
      query: enforcementChangesQuery(cursor, limit),
      idempotent: true,
      parse: parseEnforcementChanges<R>,
    });
    return toFeedPage(raw, this.map(kind, raw.ROWS));
  }

  private async reference<R, D>(kind: RecordKind<R, D>, table: 'REGIONS' | 'ORGS' | 'ITEMS'): Promise<D[]> {
    const raws = await this.http.call({
      operation: `${kind.name}.reference`,
      method: 'GET',
      path: `/zf/api/REF/${table}`,
      idempotent: true,
      parse: arrayPayload<R>,
    });
    return this.map(kind, raws);
  }

  private map<R, D>(kind: RecordKind<R, D>, raws: readonly R[]): D[] {
    return mapRecords(raws, kind.map, { sink: this.sink, resource: kind.name, idOf: kind.idOf });
  }
}
