import type { GatewayContext } from '../../context.ts';
import type { GatewayModule, ModuleSchema } from '../../platform/gateway-module.ts';
import { readModuleSdl } from '../../platform/gateway-module.ts';
import type { RunningTransfers } from './start-transfers.ts';
import { ClueTransfer, TransferDelivery, TransferMutation, TransferQuery, TransferStep } from './transfer.ts';

/** The module's SDL and resolvers, also for building the schema without running services. */
export const transfersSchema: ModuleSchema = {
  typeDefs: readModuleSdl(new URL('./', import.meta.url)),
  resolvers: { Query: TransferQuery, Mutation: TransferMutation, ClueTransfer, TransferStep, TransferDelivery },
};

/** Clue transfers (线索移送) and their delivery to the enforcement system, queued in the store across restarts. */
export function transfersModule(transfers: RunningTransfers): GatewayModule<GatewayContext> {
  return {
    name: 'transfers',
    ...transfersSchema,
    context: () => ({ transfers: transfers.service }),
    start: async () => transfers.deliverer.start(),
    stop: () => transfers.stop(),
  };
}
