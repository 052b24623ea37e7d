import type { FeedPage, Page } from '../../domain/feeds.ts';
import type { Inspection } from '../../domain/types.ts';
import { ResilientHttpClient, inBatches } from '../http/index.ts';
import type { ResilientHttpOptions } from '../http/index.ts';
import { arrayPayload, mapRecords } from '../mapping/index.ts';
import { type BadRecordSink, badRecordSink } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import type { SupervisionConnector } from './supervision-connector.ts';
import {
  openSupervisionEnvelope,
  parseSupervisionChanges,
  parseSupervisionRows,
  supervisionChangesQuery,
  supervisionListQuery,
  toFeedPage,
  toInspection,
  toPage,
} from './supervision-format.ts';
import type { InspectionBatchField, RawInspection } from './supervision-format.ts';

export class HttpSupervisionConnector implements SupervisionConnector {
  readonly system = 'supervision';
  private readonly http: ResilientHttpClient;
  private readonly sink: BadRecordSink;

  constructor(options: Omit<ResilientHttpOptions, 'system'>) {
    this.http = new ResilientHttpClient({ ...options, system: 'supervision' }, openSupervisionEnvelope);
    this.sink = badRecordSink('supervision', options);
  }

  inspectionsById(ids: readonly string[]): Promise<Inspection[]> {
    return this.batch('inspection_id', ids);
  }

  inspectionsBySubjectCode(codes: readonly string[]): Promise<Inspection[]> {
    return this.batch('subject_code', codes);
  }

  inspectionsByPermitNo(permitNos: readonly string[]): Promise<Inspection[]> {
    return this.batch('permit_no', permitNos);
  }

  async listInspections(page: PageRequest): Promise<Page<Inspection>> {
    const raw = await this.http.call({
      operation: 'inspection.list',
      method: 'GET',
      path: '/jg/inspections',
      query: supervisionListQuery(page),
      idempotent: true,
      parse: parseSupervisionRows<RawInspection>,
    });
    return toPage(raw, this.map(raw.rows));
  }

  async inspectionChanges(cursor: string | null, limit: number): Promise<FeedPage<Inspection>> {
    const raw = await this.http.call({
      operation: 'inspection.changes',
      method: 'GET',
      path: '/jg/inspections/changes',
      query: supervisionChangesQuery(cursor, limit),
      idempotent: true,
      parse: parseSupervisionChanges<RawInspection>,
    });
    return toFeedPage(raw, this.map(raw.rows));
  }

  async ping(): Promise<void> {
    await this.http.call({
      operation: 'ping',
      method: 'GET',
      path: '/jg/inspections',
      query: { offset: 0, limit: 1 },
      idempotent: true,
      parse: parseSupervisionRows<RawInspection>,
    });
  }

  private batch(by: InspectionBatchField, keys: readonly string[]): Promise<Inspection[]> {
    return inBatches(keys, async (values) => {
      const raws = await this.http.call({
        operation: `inspection.batch.${by}`,
        method: 'POST',
        path: '/jg/inspections/batch',
        body: { by, values },
        idempotent: true,
        batchKeys: values.length,
        parse: arrayPayload<RawInspection>,
      });
      return this.map(raws);
    });
  }

  private map(raws: readonly RawInspection[]): Inspection[] {
    return mapRecords(raws, toInspection, {
      sink: this.sink,
      resource: 'inspection',
      idOf: (raw) => raw.inspection_id,
    });
  }
}
