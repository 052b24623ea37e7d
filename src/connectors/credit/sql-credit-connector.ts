import type { ResilienceOptions } from '../transport/resilient-calls.ts';
import { SqlRecordTransport } from '../transport/sql-record-transport.ts';
import { CREDIT_EXCHANGE_TABLES } from './credit-exchange-tables.ts';
import { TransportCreditConnector } from './transport-credit-connector.ts';

/** The credit platform read from its 前置库 at `url` (tables as in `CREDIT_EXCHANGE_TABLES`). */
export function createSqlCreditConnector(
  url: string,
  options: Omit<ResilienceOptions, 'system'> &
    Pick<ConstructorParameters<typeof TransportCreditConnector>[1], 'onDroppedRecord'>,
): TransportCreditConnector {
  const transport = new SqlRecordTransport({ ...options, system: 'credit', url, resources: CREDIT_EXCHANGE_TABLES });
  return new TransportCreditConnector(transport, options);
}
