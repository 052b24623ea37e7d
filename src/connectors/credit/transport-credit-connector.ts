import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type { CreditProfile, CreditRecord } from '../../domain/types.ts';
import type { ConnectorLogger } from '../http/index.ts';
import { inBatches } from '../http/index.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { badRecordSink, mapRecords, type BadRecordSink, type DroppedRecordListener } from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';
import type { RawRecord, RecordTransport } from '../transport/record-transport.ts';
import type { CreditConnector } from './credit-connector.ts';
import { toCreditProfile, toCreditRecord, toRegistryEntry } from './credit-format.ts';
import type { CreditRecordBatchField, RawCreditRecord, RawCreditSubject } from './credit-format.ts';

// The transport returns records in the API's raw format; the mappers check every field they read.
const asSubjects = (raws: RawRecord[]) => raws as unknown as RawCreditSubject[];
const asRecords = (raws: RawRecord[]) => raws as unknown as RawCreditRecord[];
const subjectId = (raw: RawCreditSubject) => raw.tyshxydm;
const recordId = (raw: RawCreditRecord) => raw.jlbh;

/**
 * The credit platform over any record transport (its 前置库 exchange database, say): the same
 * mapping as `HttpCreditConnector`, so a record reads the same whichever way it arrived. The
 * transport owns resilience and failures; this class owns the domain.
 */
export class TransportCreditConnector implements CreditConnector {
  readonly system = 'credit';
  private readonly sink: BadRecordSink;

  constructor(
    private readonly transport: RecordTransport & { close?(): Promise<void> },
    options: { metrics: Metrics; logger?: ConnectorLogger; onDroppedRecord?: DroppedRecordListener },
  ) {
    this.sink = badRecordSink('credit', options);
  }

  profilesByUscc(usccs: readonly string[]): Promise<CreditProfile[]> {
    return inBatches(usccs, async (batch) =>
      this.mapProfiles(asSubjects(await this.transport.fetchBy('subject', 'tyshxydm', batch))),
    );
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
    const { total, items } = await this.transport.list('subject', offsetOf(page), page.pageSize);
    return { total, items: this.mapProfiles(asSubjects(items)) };
  }

  async listRecords(page: PageRequest): Promise<Page<CreditRecord>> {
    const { total, items } = await this.transport.list('record', offsetOf(page), page.pageSize);
    return { total, items: this.mapRecords(asRecords(items)) };
  }

  async subjectChanges(cursor: string | null, limit: number): Promise<FeedPage<RegistryEntry>> {
    const page = await this.transport.changes('subject', cursor, limit);
    const items = mapRecords(asSubjects(page.items), toRegistryEntry, {
      sink: this.sink,
      resource: 'subject',
      idOf: subjectId,
    });
    return { items, nextCursor: startIfNull(page.nextCursor), hasMore: page.hasMore };
  }

  async recordChanges(cursor: string | null, limit: number): Promise<FeedPage<CreditRecord>> {
    const page = await this.transport.changes('record', cursor, limit);
    return {
      items: this.mapRecords(asRecords(page.items)),
      nextCursor: startIfNull(page.nextCursor),
      hasMore: page.hasMore,
    };
  }

  ping(): Promise<void> {
    return this.transport.ping();
  }

  /** Closes the transport's connections, when it holds any. */
  async close(): Promise<void> {
    await this.transport.close?.();
  }

  private records(by: CreditRecordBatchField, keys: readonly string[]): Promise<CreditRecord[]> {
    return inBatches(keys, async (batch) =>
      this.mapRecords(asRecords(await this.transport.fetchBy('record', by, batch))),
    );
  }

  private mapProfiles(raws: readonly RawCreditSubject[]): CreditProfile[] {
    return mapRecords(raws, toCreditProfile, { sink: this.sink, resource: 'subject', idOf: subjectId });
  }

  private mapRecords(raws: readonly RawCreditRecord[]): CreditRecord[] {
    return mapRecords(raws, toCreditRecord, { sink: this.sink, resource: 'record', idOf: recordId });
  }
}

function offsetOf(page: PageRequest): number {
  return (page.page - 1) * page.pageSize;
}

/**
 * A feed read from the start that found nothing has no position yet; the domain's page always
 * carries a cursor, and the empty one means "from the start" to the transports, as to the APIs.
 */
function startIfNull(cursor: string | null): string {
  return cursor ?? '';
}
