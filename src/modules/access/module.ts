import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { AccessLogEntry, AdministrationQuery, Grant, Mutation } from './administration.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const accessSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Query: AdministrationQuery, Mutation, Grant, AccessLogEntry },
};

/** Sharing agreements (grants) and the access log's reading, for administrators. Always on. */
export function accessModule(): GatewayModule {
  return {
    name: 'access',
    ...accessSchema,
  };
}
