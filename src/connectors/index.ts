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
import { loadShippedProfile, ProfileError } from './profiles/load-profile.ts';
import { rawLookupPath } from './profiles/lookup-path.ts';
import { MergedSource, type ConnectorWarningSink, type SourceFailureListener } from './profiles/merged-source.ts';
import { httpProfileSource } from './profiles/profile-source.ts';
import type { AgencyProfile } from './profiles/profile-types.ts';
import { effectiveResilience, type ExplicitResilience } from './resilience-precedence.ts';
import { INSPECTION_LOOKUPS } from './supervision/profile-supervision-connector.ts';
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
export { describeHeaderProblem, readHeaders } from './profiles/profile-headers.ts';
export { createSqlCreditConnector } from './credit/sql-credit-connector.ts';
export { sqlProfileSource } from './profiles/sql-profile-source.ts';
export { httpProfileSource } from './profiles/profile-source.ts';
export type { RawRecord, RecordTransport } from './transport/record-transport.ts';
export { SqlRecordTransport } from './transport/sql-record-transport.ts';
export type { SqlTransportOptions } from './transport/sql-record-transport.ts';
export { networkFailureReason } from './http/index.ts';
export { checkExchangeDbUrl, redactDatabaseUrl } from './transport/sql-pool.ts';
export type { ConnectorLogger, ResilientHttpOptions } from './http/index.ts';
export { MAX_BATCH_KEYS } from './http/index.ts';
export type { DroppedRecord, DroppedRecordListener } from './mapping/index.ts';
export type { PageRequest } from './paging.ts';
export type { ConnectorWarningSink, SourceFailure, SourceFailureListener } from './profiles/merged-source.ts';
export { effectiveResilience, RESILIENCE_DEFAULTS } from './resilience-precedence.ts';
export type { ExplicitResilience } from './resilience-precedence.ts';
export { MAX_PAGE_SIZE } from './paging.ts';

/**
 * Where one agency system lives and how patiently to call it. `exchangeDbUrl` (credit only, for
 * now): read the system from its 前置库 exchange database instead of `baseUrl`.
 */
export type SystemConfig = Omit<
  ResilientHttpOptions,
  'system' | 'metrics' | 'logger' | 'onDroppedRecord' | keyof ExplicitResilience
> &
  ExplicitResilience & {
    exchangeDbUrl?: string;
  };

/**
 * A further source of one system, configured by its profile alone (EXTRA_PROFILES_DIR): a
 * provincial 双随机 platform beside the county's supervision system, say.
 */
export interface ExtraSource {
  /** Its profile, with `source` set (its own id) and `system` the system it serves. */
  profile: AgencyProfile;
  /** Where it was read from, named when it cannot serve its system. */
  file: string;
  /** From the variable its profile's `transport.baseUrlEnv` names. */
  baseUrl: string;
  /**
   * The headers its profile names, as read with the configuration (which refused any it could not
   * read); unset, they are read from the environment when the connectors are built.
   */
  headers?: Record<string, string>;
}

/** Systems that take extra sources, and the lookups their connector asks every source. */
const EXTRA_SOURCE_LOOKUPS: Partial<Record<AgencySystem, Record<string, readonly string[]>>> = {
  supervision: { inspection: INSPECTION_LOOKUPS },
};

export interface Connectors {
  approval: ApprovalConnector;
  supervision: SupervisionConnector;
  enforcement: EnforcementConnector;
  credit: CreditConnector;
}

/**
 * The connectors as one request sees them: what they drop and which sources fail is told to that
 * request's warnings, handed over explicitly (no async scope on the request path).
 */
export interface ConnectorsReporting {
  reportingTo(sink: ConnectorWarningSink): Connectors;
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
  more: { extraSources?: readonly ExtraSource[]; onSourceFailure?: SourceFailureListener } = {},
): Connectors & ConnectorsReporting & { close(): Promise<void> } {
  // Each source's resilience: an explicit UPSTREAM_* setting, else its profile's, else the default.
  const options = (system: AgencySystem, profile?: AgencyProfile) => ({
    ...config[system],
    ...effectiveResilience(config[system], profile),
    metrics,
    logger,
    onDroppedRecord,
  });
  const shipped = (system: AgencySystem) => loadShippedProfile(system);
  const extras = more.extraSources ?? [];
  for (const extra of extras) checkExtraSource(extra);
  const supervisionSources = [
    httpProfileSource(shipped('supervision'), options('supervision', shipped('supervision'))),
    ...extras
      .filter((extra) => extra.profile.system === 'supervision')
      .map((extra) =>
        httpProfileSource(extra.profile, {
          ...options('supervision', extra.profile),
          baseUrl: extra.baseUrl,
          ...(extra.headers && { headers: extra.headers }),
        }),
      ),
  ];
  // The credit profile maps both of its transports; the 前置库 wins when configured (config refuses both).
  const creditDb = config.credit.exchangeDbUrl;
  const credit = creditDb
    ? createSqlCreditConnector(creditDb, options('credit', shipped('credit')))
    : new ProfileCreditConnector(httpProfileSource(shipped('credit'), options('credit', shipped('credit'))));
  const supervision = new MergedSource(supervisionSources, more.onSourceFailure);
  const shared = {
    approval: new ProfileApprovalConnector(
      httpProfileSource(shipped('approval'), options('approval', shipped('approval'))),
    ),
    supervision: new ProfileSupervisionConnector(supervision),
    enforcement: createEnforcementConnector(options('enforcement', shipped('enforcement'))),
    credit,
  };
  return {
    ...shared,
    reportingTo: (sink) => ({
      approval: shared.approval.reportingTo(sink),
      supervision: shared.supervision.reportingTo(sink),
      enforcement: shared.enforcement.reportingTo(sink),
      credit: shared.credit.reportingTo(sink),
    }),
    close: async () => {
      await Promise.all([credit.close(), supervision.close()]);
    },
  };
}

/**
 * An extra source must serve a system that takes them, under an id of its own, and its mappings
 * must answer every lookup that system's connector asks; anything else stops the start, naming the file.
 */
function checkExtraSource({ profile, file }: ExtraSource): void {
  const lookups = EXTRA_SOURCE_LOOKUPS[profile.system as AgencySystem];
  const problems: string[] = [];
  if (!lookups) {
    problems.push(
      `system "${profile.system}" takes no extra sources (only ${Object.keys(EXTRA_SOURCE_LOOKUPS).join(', ')} so far)`,
    );
  } else {
    if (!profile.source || profile.source === profile.system) {
      problems.push(`"source" must name this source, other than "${profile.system}"`);
    }
    for (const [mapping, paths] of Object.entries(lookups)) {
      const spec = profile.mappings[mapping];
      if (!spec) {
        problems.push(`/mappings: no "${mapping}" mapping`);
        continue;
      }
      const batch = profile.transport.resources[spec.resource]?.batch;
      const batchFields = !batch ? [] : batch.style === 'field-and-values' ? batch.fields : Object.keys(batch.keys);
      for (const path of paths) {
        try {
          const raw = rawLookupPath(spec.fields, path);
          if (!batchFields.includes(raw)) {
            problems.push(`/mappings/${mapping}: lookup by ${path} needs "${raw}" among the batch fields`);
          }
        } catch (error) {
          problems.push(`/mappings/${mapping}: ${(error as Error).message}`);
        }
      }
    }
  }
  if (problems.length > 0) throw new ProfileError(file, problems);
}
