import type { AgencySystem } from '../domain/types.ts';
import type { Metrics } from '../platform/metrics.ts';
import type { ApprovalConnector } from './approval/approval-connector.ts';
import { ProfileApprovalConnector } from './approval/profile-approval-connector.ts';
import type { CreditConnector } from './credit/credit-connector.ts';
import { ProfileCreditConnector } from './credit/profile-credit-connector.ts';
import { createSqlCreditConnector } from './credit/sql-credit-connector.ts';
import type { EnforcementConnector } from './enforcement/enforcement-connector.ts';
import { createEnforcementConnector } from './enforcement/profile-enforcement-connector.ts';
import type { ConnectorLogger, ResilientHttpOptions } from './http/index.ts';
import type { DroppedRecordListener } from './mapping/index.ts';
import { loadShippedProfile } from './profiles/load-profile.ts';
import { httpProfileSource } from './profiles/profile-source.ts';
import { ProfileSupervisionConnector } from './supervision/profile-supervision-connector.ts';
import type { SupervisionConnector } from './supervision/supervision-connector.ts';

export type { ApprovalConnector } from './approval/approval-connector.ts';
export type { SupervisionConnector } from './supervision/supervision-connector.ts';
export type { EnforcementConnector } from './enforcement/enforcement-connector.ts';
export type { CreditConnector } from './credit/credit-connector.ts';
export { ProfileApprovalConnector } from './approval/profile-approval-connector.ts';
export { ProfileSupervisionConnector } from './supervision/profile-supervision-connector.ts';
export {
  ProfileEnforcementConnector,
  createEnforcementConnector,
} from './enforcement/profile-enforcement-connector.ts';
export { ProfileCreditConnector } from './credit/profile-credit-connector.ts';
export { loadProfile, loadShippedProfile, ProfileError } from './profiles/load-profile.ts';
export type { AgencyProfile } from './profiles/profile-types.ts';
export { createSqlCreditConnector } from './credit/sql-credit-connector.ts';
export { sqlProfileSource } from './profiles/sql-profile-source.ts';
export { httpProfileSource } from './profiles/profile-source.ts';
export type { RawRecord, RecordTransport } from './transport/record-transport.ts';
export { SqlRecordTransport } from './transport/sql-record-transport.ts';
export type { SqlTransportOptions } from './transport/sql-record-transport.ts';
export { checkExchangeDbUrl, redactDatabaseUrl } from './transport/sql-pool.ts';
export type { ConnectorLogger, ResilientHttpOptions } from './http/index.ts';
export { MAX_BATCH_KEYS } from './http/index.ts';
export type { DroppedRecord, DroppedRecordListener } from './mapping/index.ts';
export type { PageRequest } from './paging.ts';
export { MAX_PAGE_SIZE } from './paging.ts';

/**
 * Where one agency system lives and how patiently to call it. `exchangeDbUrl` (credit only, for
 * now): read the system from its 前置库 exchange database instead of `baseUrl`.
 */
export type SystemConfig = Omit<ResilientHttpOptions, 'system' | 'metrics' | 'logger' | 'onDroppedRecord'> & {
  exchangeDbUrl?: string;
};

export interface Connectors {
  approval: ApprovalConnector;
  supervision: SupervisionConnector;
  enforcement: EnforcementConnector;
  credit: CreditConnector;
}

/**
 * One connector per agency system. Create them once per gateway instance: each holds the
 * circuit breaker and bulkhead of its system, which only work if every request shares them.
 * `close()` releases what they hold open (an exchange database's connections).
 */
export function createConnectors(
  config: Record<AgencySystem, SystemConfig>,
  metrics: Metrics,
  logger?: ConnectorLogger,
  onDroppedRecord?: DroppedRecordListener,
): Connectors & { close(): Promise<void> } {
  const options = (system: AgencySystem) => ({ ...config[system], metrics, logger, onDroppedRecord });
  // The credit profile maps both of its transports; the 前置库 wins when configured (config refuses both).
  const creditDb = config.credit.exchangeDbUrl;
  const credit = creditDb
    ? createSqlCreditConnector(creditDb, options('credit'))
    : new ProfileCreditConnector(httpProfileSource(loadShippedProfile('credit'), options('credit')));
  return {
    approval: new ProfileApprovalConnector(httpProfileSource(loadShippedProfile('approval'), options('approval'))),
    supervision: new ProfileSupervisionConnector(
      httpProfileSource(loadShippedProfile('supervision'), options('supervision')),
    ),
    enforcement: createEnforcementConnector(options('enforcement')),
    credit,
    close: () => credit.close(),
  };
}
