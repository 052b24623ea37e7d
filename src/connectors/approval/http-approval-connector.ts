import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type { Permit, Subject } from '../../domain/types.ts';
import { ResilientHttpClient, inBatches } from '../http/index.ts';
import type { ResilientHttpOptions } from '../http/index.ts';
import { arrayPayload, mapRecords } from '../mapping/index.ts';
import { type BadRecordSink, badRecordSink } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import type { ApprovalConnector } from './approval-connector.ts';
import {
  approvalChangesQuery,
  openApprovalEnvelope,
  parseApprovalChanges,
  parseApprovalPage,
  toFeedPage,
  toPage,
  toPermit,
  toRegistryEntry,
  toSubject,
} from './approval-format.ts';
import type { RawEnterprise, RawPermit } from './approval-format.ts';

const enterpriseId = (raw: RawEnterprise) => raw.uscc;
const permitId = (raw: RawPermit) => raw.permitNo;

export class HttpApprovalConnector implements ApprovalConnector {
  readonly system = 'approval';
  private readonly http: ResilientHttpClient;
  private readonly sink: BadRecordSink;

  constructor(options: Omit<ResilientHttpOptions, 'system'>) {
    this.http = new ResilientHttpClient({ ...options, system: 'approval' }, openApprovalEnvelope);
    this.sink = badRecordSink('approval', options);
  }

  subjectsByUscc(usccs: readonly string[]): Promise<Subject[]> {
    return this.enterprises('usccs', usccs);
  }

  subjectsByLegacyRegNo(legacyRegNos: readonly string[]): Promise<Subject[]> {
    return this.enterprises('legacyRegNos', legacyRegNos);
  }

  permitsByNo(permitNos: readonly string[]): Promise<Permit[]> {
    return this.permits('permitNos', permitNos);
  }

  permitsByHolder(holderUsccs: readonly string[]): Promise<Permit[]> {
    return this.permits('holderUsccs', holderUsccs);
  }

  async listSubjects(page: PageRequest): Promise<Page<Subject>> {
    const raw = await this.http.call({
      operation: 'enterprise.list',
      method: 'GET',
      path: '/api/enterprises',
      query: { page: page.page, pageSize: page.pageSize },
      idempotent: true,
      parse: parseApprovalPage<RawEnterprise>,
    });
    return toPage(raw, this.mapEnterprises(raw.items));
  }

  async listPermits(page: PageRequest): Promise<Page<Permit>> {
    const raw = await this.http.call({
      operation: 'permit.list',
      method: 'GET',
      path: '/api/permits',
      query: { page: page.page, pageSize: page.pageSize },
      idempotent: true,
      parse: parseApprovalPage<RawPermit>,
    });
    return toPage(raw, this.mapPermits(raw.items));
  }

  async subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>> {
    const raw = await this.http.call({
      operation: 'enterprise.changes',
      method: 'GET',
      path: '/api/enterprises/changes',
      query: approvalChangesQuery(cursor, limit),
      idempotent: true,
      parse: parseApprovalChanges<RawEnterprise>,
    });
    const items = mapRecords(raw.items, toRegistryEntry, {
      sink: this.sink,
      resource: 'enterprise',
      idOf: enterpriseId,
    });
    return toFeedPage(raw, items);
  }

  async permitChanges(cursor: string | null, limit: number): Promise<FeedPage<Permit>> {
    const raw = await this.http.call({
      operation: 'permit.changes',
      method: 'GET',
      path: '/api/permits/changes',
      query: approvalChangesQuery(cursor, limit),
      idempotent: true,
      parse: parseApprovalChanges<RawPermit>,
    });
    return toFeedPage(raw, this.mapPermits(raw.items));
  }

  async ping(): Promise<void> {
    await this.http.call({
      operation: 'ping',
      method: 'GET',
      path: '/api/permits',
      query: { page: 1, pageSize: 1 },
      idempotent: true,
      parse: parseApprovalPage<RawPermit>,
    });
  }

  private enterprises(by: 'usccs' | 'legacyRegNos', keys: readonly string[]): Promise<Subject[]> {
    return inBatches(keys, async (batch) => {
      const raws = await this.http.call({
        operation: `enterprise.batch.${by}`,
        method: 'POST',
        path: '/api/enterprises/batch',
        body: { [by]: batch },
        idempotent: true,
        batchKeys: batch.length,
        parse: arrayPayload<RawEnterprise>,
      });
      return this.mapEnterprises(raws);
    });
  }

  private permits(by: 'permitNos' | 'holderUsccs', keys: readonly string[]): Promise<Permit[]> {
    return inBatches(keys, async (batch) => {
      const raws = await this.http.call({
        operation: `permit.batch.${by}`,
        method: 'POST',
        path: '/api/permits/batch',
        body: { [by]: batch },
        idempotent: true,
        batchKeys: batch.length,
        parse: arrayPayload<RawPermit>,
      });
      return this.mapPermits(raws);
    });
  }

  private mapEnterprises(raws: readonly RawEnterprise[]): Subject[] {
    return mapRecords(raws, toSubject, { sink: this.sink, resource: 'enterprise', idOf: enterpriseId });
  }

  private mapPermits(raws: readonly RawPermit[]): Permit[] {
    return mapRecords(raws, toPermit, { sink: this.sink, resource: 'permit', idOf: permitId });
  }
}
