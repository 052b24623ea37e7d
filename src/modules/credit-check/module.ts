import type { GatewayContext } from '../../context.ts';
import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import type { CreditCheckService } from './credit-check-service.ts';
import { CreditCheckQuery } from './resolvers.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const creditCheckSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Query: CreditCheckQuery },
};

/** Credit checks before approval (信用核查), by the rules in reference-data/. */
export function creditCheckModule(service: CreditCheckService): GatewayModule<GatewayContext> {
  return {
    name: 'credit-check',
    ...creditCheckSchema,
    context: () => ({ creditCheck: service }),
  };
}
