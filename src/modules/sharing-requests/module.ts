import type { GatewayContext } from '../../context.ts';
import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import { SharingRequest, SharingRequestMutation, SharingRequestQuery } from './resolvers.ts';
import type { SharingRequestService } from './sharing-request-service.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const sharingRequestsSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Query: SharingRequestQuery, Mutation: SharingRequestMutation, SharingRequest },
};

/** Sharing requests (共享申请): a consumer asks, the owner answers, an approval becomes a grant. */
export function sharingRequestsModule(service: SharingRequestService): GatewayModule<GatewayContext> {
  return {
    name: 'sharing-requests',
    ...sharingRequestsSchema,
    context: () => ({ sharingRequests: service }),
  };
}
