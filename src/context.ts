import type { Logger } from 'pino';
import type { Loaders } from './loaders/create-loaders.ts';
import type { RequestPermissions } from './permissions/request-permissions.ts';
import type { SubjectRegistry } from './store/subject-registry.ts';

/** What every resolver of one GraphQL request can reach; built fresh for each request. */
export interface GatewayContext {
  loaders: Loaders;
  registry: SubjectRegistry;
  logger: Logger;
  requestId: string;
  /** The caller's sharing rules for this request; absent while authentication is switched off. */
  permissions?: RequestPermissions;
}
