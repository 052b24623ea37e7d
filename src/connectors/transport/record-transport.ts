/** One raw record as the agency system sends it, before mapping. */
export type RawRecord = Record<string, unknown>;

/**
 * Where one agency system's raw records come from: its HTTP API or a 前置库 exchange
 * database. Profiles map what a transport returns; transports know nothing of the domain.
 */
export interface RecordTransport {
  /** Records of `resource` whose `field` equals one of `values`. */
  fetchBy(resource: string, field: string, values: readonly string[]): Promise<RawRecord[]>;
  /** One page of every record of `resource`, in a stable order. */
  list(resource: string, offset: number, limit: number): Promise<{ total: number; items: RawRecord[] }>;
  /** Records changed after `cursor` (null: from the beginning), oldest first. */
  changes(
    resource: string,
    cursor: string | null,
    limit: number,
  ): Promise<{ items: RawRecord[]; nextCursor: string | null; hasMore: boolean }>;
  /** Every record of a small reference table, read whole; absent when the transport has none. */
  fetchAll?(table: string): Promise<RawRecord[]>;
  /**
   * Who writes this transport's change-feed cursors (`agency-api`, `exchange-db`): a cursor one
   * wrote means nothing to another, so a feed that changes transport is read again from its start.
   */
  readonly cursorOrigin: string;
  /** Resolves when the system answers. */
  ping(): Promise<void>;
  /** Releases what the transport holds open (a database pool); HTTP holds nothing. */
  close?(): Promise<void>;
}
