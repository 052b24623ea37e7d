import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type { CreditProfile, CreditRecord } from '../../domain/types.ts';
import { ResilientHttpClient, inBatches } from '../http/index.ts';
import type { ResilientHttpOptions } from '../http/index.ts';
import { arrayPayload, mapRecords } from '../mapping/index.ts';
import { type BadRecordSink, badRecordSink } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import type { CreditConnector } from './credit-connector.ts';
import {
  creditChangesQuery,
  creditListQuery,
  openCreditEnvelope,
  parseCreditChanges,
  parseCreditPage,
  toCreditProfile,
  toCreditRecord,
  toFeedPage,
  toPage,
  toRegistryEntry,
} from './credit-format.ts';
import type { CreditRecordBatchField, RawCreditRecord, RawCreditSubject } from './credit-format.ts';

const subjectId = (raw: RawCreditSubject) => raw.tyshxydm;
const recordId = (raw: RawCreditRecord) => raw.jlbh;

export class HttpCreditConnector implements CreditConnector {
  readonly system = 'credit';
  private readonly http: ResilientHttpClient;
  private readonly sink: BadRecordSink;

  constructor(options: Omit<ResilientHttpOptions, 'system'>) {
    this.http = new ResilientHttpClient({ ...options, system: 'credit' }, openCreditEnvelope);
    this.sink = badRecordSink('credit', options);
  }

  profilesByUscc(usccs: readonly string[]): Promise<CreditProfile[]> {
    return inBatches(usccs, async (batch) => {
      const raws = await this.http.call({
        operation: 'subject.batch.tyshxydm',
        method: 'POST',
        path: '/xy/subjects/batch',
        body: { tyshxydm: batch },
        idempotent: true,
        batchKeys: batch.length,
        parse: arrayPayload<RawCreditSubject>,
      });
      return this.mapProfiles(raws);
    });
  }

  recordsById(ids: readonly string[]): Promise<CreditRecord[]> {
    return this.records('jlbh', ids);
  }

  recordsBySubject(usccs: readonly string[]): Promise<CreditRecord[]> {
    return this.records('tyshxydm', usccs);
  }

  recordsByDecisionNo(decisionNos: readonly string[]): Promise<CreditRecord[]> {
    return this.records('cf_wsh', decisionNos);
  }

  async listProfiles(page: PageRequest): Promise<Page<CreditProfile>> {
    const raw = await this.http.call({
      operation: 'subject.list',
      method: 'GET',
      path: '/xy/subjects',
      query: creditListQuery(page),
      idempotent: true,
      parse: parseCreditPage<RawCreditSubject>,
    });
    return toPage(raw, this.mapProfiles(raw.jg));
  }

  async listRecords(page: PageRequest): Promise<Page<CreditRecord>> {
    const raw = await this.http.call({
      operation: 'record.list',
      method: 'GET',
      path: '/xy/records',
      query: creditListQuery(page),
      idempotent: true,
      parse: parseCreditPage<RawCreditRecord>,
    });
    return toPage(raw, this.mapRecords(raw.jg));
  }

  async subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>> {
    const raw = await this.http.call({
      operation: 'subject.changes',
      method: 'GET',
      path: '/xy/subjects/changes',
      query: creditChangesQuery(cursor, limit),
      idempotent: true,
      parse: parseCreditChanges<RawCreditSubject>,
    });
    const items = mapRecords(raw.jg, toRegistryEntry, { sink: this.sink, resource: 'subject', idOf: subjectId });
    return toFeedPage(raw, items);
  }

  async recordChanges(cursor: string | null, limit: number): Promise<FeedPage<CreditRecord>> {
    const raw = await this.http.call({
      operation: 'record.changes',
      method: 'GET',
      path: '/xy/records/changes',
      query: creditChangesQuery(cursor, limit),
      idempotent: true,
      parse: parseCreditChanges<RawCreditRecord>,
    });
    return toFeedPage(raw, this.mapRecords(raw.jg));
  }

  async ping(): Promise<void> {
    await this.http.call({
      operation: 'ping',
      method: 'GET',
      path: '/xy/records',
      query: { page: 1, size: 1 },
      idempotent: true,
      parse: parseCreditPage<RawCreditRecord>,
    });
  }

  private records(by: CreditRecordBatchField, keys: readonly string[]): Promise<CreditRecord[]> {
    return inBatches(keys, async (values) => {
      const raws = await this.http.call({
        operation: `record.batch.${by}`,
        method: 'POST',
        path: '/xy/records/batch',
        body: { by, values },
        idempotent: true,
        batchKeys: values.length,
        parse: arrayPayload<RawCreditRecord>,
      });
      return this.mapRecords(raws);
    });
  }

  private mapProfiles(raws: readonly RawCreditSubject[]): CreditProfile[] {
    return mapRecords(raws, toCreditProfile, { sink: this.sink, resource: 'subject', idOf: subjectId });
  }

  private mapRecords(raws: readonly RawCreditRecord[]): CreditRecord[] {
    return mapRecords(raws, toCreditRecord, { sink: this.sink, resource: 'record', idOf: recordId });
  }
}
