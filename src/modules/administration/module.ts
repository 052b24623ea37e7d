import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { AccessLogEntry, AdministrationQuery, Grant, Mutation } from './resolvers.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const administrationSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Query: AdministrationQuery, Mutation, Grant, AccessLogEntry },
};

/**
 * Sharing agreements (grants) and the access log's reading, for administrators and auditors.
 * Always on: its SDL defines the `Mutation` root type the other modules extend.
 */
export function administrationModule(): GatewayModule {
  return {
    name: 'administration',
    ...administrationSchema,
  };
}
