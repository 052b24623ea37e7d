import type { LoopRecordResolvers, UnavailableSystemResolvers } from '../../generated/graphql.ts';
import type { LoopRecordParent } from './mappers.ts';

/** Each kind of loop record has a field no other kind has; that field names its type. */
export function loopRecordType(
  record: LoopRecordParent,
): 'Permit' | 'Inspection' | 'Clue' | 'Case' | 'Penalty' | 'CreditRecord' {
  if ('itemCode' in record) return 'Permit';
  if ('taskId' in record) return 'Inspection';
  if ('receiverCode' in record) return 'Clue';
  if ('procedure' in record) return 'Case';
  if ('kinds' in record) return 'Penalty';
  return 'CreditRecord';
}

export const LoopRecord: LoopRecordResolvers = {
  __resolveType: (record: LoopRecordParent) => loopRecordType(record),
};

/** The domain names systems in lower case; the GraphQL enum is upper case. */
export const UnavailableSystem: UnavailableSystemResolvers = {
  system: (unavailable) => unavailable.system.toUpperCase() as Uppercase<typeof unavailable.system>,
};
