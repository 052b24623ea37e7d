import type { Resolvers } from '../generated/graphql.ts';
import type { ModuleSchema } from '../platform/gateway-module.ts';
import { BigIntScalar, DecimalScalar } from '../scalars/number-scalars.ts';
import { DateScalar, DateTimeScalar } from '../scalars/time-scalars.ts';
import { UsccScalar } from '../scalars/uscc-scalar.ts';
import { accessSchema } from '../modules/access/module.ts';
import { administrationSchema } from '../modules/administration/module.ts';
import { creditCheckSchema } from '../modules/credit-check/module.ts';
import { eventsSchema } from '../modules/events/module.ts';
import { loopSchema } from '../modules/loop/module.ts';
import { sharingRequestsSchema } from '../modules/sharing-requests/module.ts';
import { subjectsSchema } from '../modules/subjects/module.ts';
import { transfersSchema } from '../modules/transfers/module.ts';

/** The scalars every module's SDL uses (schema/scalars.graphql). */
export const scalarResolvers: Resolvers = {
  USCC: UsccScalar,
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  BigInt: BigIntScalar,
};

/** Every module's part of the schema, as served with every module on. */
export const allModuleSchemas: readonly ModuleSchema[] = [
  subjectsSchema,
  accessSchema,
  administrationSchema,
  eventsSchema,
  transfersSchema,
  loopSchema,
  sharingRequestsSchema,
  creditCheckSchema,
];
