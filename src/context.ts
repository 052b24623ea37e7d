import type { Logger } from 'pino';
import type { ChangeFeedSync } from './platform/change-feed-sync.ts';
import type { RequestWarnings } from './http/request-warnings.ts';
import type { Loaders } from './modules/subjects/create-loaders.ts';
import type { Principal } from './auth/principal.ts';
import type { LoopServices } from './modules/loop/loop-services.ts';
import type { RequestPermissions } from './modules/access/request-permissions.ts';
import type { EventsAdministration } from './modules/events/event-delivery.ts';
import type { AccessLog } from './modules/audit/access-log.ts';
import type { GrantStore } from './modules/access/grant-store.ts';
import type { SubjectRegistry } from './modules/registry/subject-registry.ts';
import type { TransferService } from './modules/transfers/transfer-service.ts';
import type { SharingRequestService } from './modules/sharing-requests/sharing-request-service.ts';
import type { CreditCheckService } from './modules/credit-check/credit-check-service.ts';
import type { TokenRevocations } from './modules/revocation/token-revocations.ts';

/** What every resolver of one GraphQL request can reach; built fresh for each request. */
export interface GatewayContext {
  loaders: Loaders;
  registry: SubjectRegistry;
  /** The feeds the registry follows: a search of it says when some failed at their last sync. */
  registryFeeds?: Pick<ChangeFeedSync, 'failingFeeds'>;
  logger: Logger;
  requestId: string;
  /** The client's network address as Express sees it (`req.ip`), for the access log; absent while authentication is off. */
  clientAddress?: string;
  /**
   * Notes that this request's access-log entry is written or its answer withheld, so the guard on
   * /graphql (src/http/unlogged-answers.ts) lets the answer go; absent while authentication is off.
   */
  noteAccessLogged?: () => void;
  /** The verified caller; absent while authentication is switched off. */
  principal?: Principal;
  /** The caller's sharing rules for this request; absent while authentication is switched off. */
  permissions?: RequestPermissions;
  /** Sharing agreements and the access log, for the administrative fields; absent while authentication is off. */
  administration?: { grants: GrantStore; accessLog: AccessLog };
  /** Event subscriptions and dead letters; the fields refuse unless authentication is on (a principal). */
  events?: EventsAdministration;
  /** Clue transfers (线索移送); their fields refuse unless authentication is on (a principal). */
  transfers?: TransferService;
  /** Sharing requests (共享申请); their fields refuse unless authentication is on (a principal). */
  sharingRequests?: SharingRequestService;
  /** USCCs whose records this request read, for the access log. */
  subjectsTouched: Set<string>;
  /** What this request's answer lacks (records dropped, sources down, days beyond the calendar), for `extensions.warnings`. */
  warnings: RequestWarnings;
  /** The loop index and what is computed from it; absent, the loop fields refuse. */
  loop?: LoopServices;
  /** Revoking tokens (signing out); absent while authentication is off, and the fields refuse. */
  revocations?: TokenRevocations;
  /** Credit checks before approval; absent, their fields refuse. */
  creditCheck?: CreditCheckService;
}
