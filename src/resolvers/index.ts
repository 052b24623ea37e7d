import type { Resolvers } from '../generated/graphql.ts';
import { BigIntScalar, DecimalScalar } from '../scalars/number-scalars.ts';
import { DateScalar, DateTimeScalar } from '../scalars/time-scalars.ts';
import { UsccScalar } from '../scalars/uscc-scalar.ts';
import { AccessLogEntry, AdministrationQuery, Grant, Mutation } from './administration.ts';
import { Case } from './case.ts';
import { EventDelivery, EventsMutation, EventsQuery, OutboxEvent } from './events.ts';
import { Clue } from './clue.ts';
import { Credit, CreditCommitment, CreditRecord } from './credit.ts';
import { Inspection } from './inspection.ts';
import { Money } from './money.ts';
import { Penalty } from './penalty.ts';
import { Permit } from './permit.ts';
import { Query } from './query.ts';
import { Authority, Delegation, Jurisdiction, PowerItem } from './reference.ts';
import { Subject } from './subject.ts';
import { ClueTransfer, TransferDelivery, TransferMutation, TransferQuery, TransferStep } from './transfer.ts';
import { AuthorityPerformance, LoopGap, LoopQuery, SubjectLoop, TownshipPowerUse } from './loop.ts';
import { LoopRecord, UnavailableSystem } from './timeline.ts';
import { SharingRequest, SharingRequestMutation, SharingRequestQuery } from '../modules/sharing-requests/index.ts';
import { CreditCheckQuery } from '../modules/credit-check/resolvers.ts';

export const resolvers: Resolvers = {
  USCC: UsccScalar,
  Date: DateScalar,
  DateTime: DateTimeScalar,
  Decimal: DecimalScalar,
  BigInt: BigIntScalar,
  Query: {
    ...Query,
    ...AdministrationQuery,
    ...TransferQuery,
    ...EventsQuery,
    ...LoopQuery,
    ...SharingRequestQuery,
    ...CreditCheckQuery,
  },
  Mutation: { ...Mutation, ...EventsMutation, ...TransferMutation, ...SharingRequestMutation },
  OutboxEvent,
  EventDelivery,
  Grant,
  SharingRequest,
  AccessLogEntry,
  ClueTransfer,
  TransferStep,
  TransferDelivery,
  Subject: { ...Subject, ...SubjectLoop },
  LoopGap,
  AuthorityPerformance,
  TownshipPowerUse,
  Permit,
  Inspection,
  Clue,
  Case,
  Penalty,
  Credit,
  CreditRecord,
  CreditCommitment,
  Money,
  Authority,
  Jurisdiction,
  PowerItem,
  Delegation,
  LoopRecord,
  UnavailableSystem,
};
