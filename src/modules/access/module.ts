import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';

/**
 * The module's SDL (the roles and `@requiresRole`; `@share` and `@reveals` are shared SDL in
 * schema/), also for building the schema without running services. Its permission layer is
 * not a resolver: it is applied to the whole schema (see permission-layer.ts).
 */
export const accessSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: {},
};

/** The sharing policy every field is decided by. Always on: without it nothing may be shown. */
export function accessModule(): GatewayModule {
  return {
    name: 'access',
    ...accessSchema,
  };
}
