import type { Resolvers } from '../generated/graphql.ts';
import { BigIntScalar, DecimalScalar } from '../scalars/number-scalars.ts';
import { DateScalar, DateTimeScalar } from '../scalars/time-scalars.ts';
import { UsccScalar } from '../scalars/uscc-scalar.ts';
import { AccessLogEntry, AdministrationQuery, Grant, Mutation } from '../modules/access/administration.ts';
import { Case } from '../modules/subjects/case.ts';
import { EventDelivery, EventsMutation, EventsQuery, OutboxEvent } from '../modules/events/events.ts';
import { Clue } from '../modules/subjects/clue.ts';
import { Credit, CreditCommitment, CreditRecord } from '../modules/subjects/credit.ts';
import { Inspection } from '../modules/subjects/inspection.ts';
import { Money } from '../modules/subjects/money.ts';
import { Penalty } from '../modules/subjects/penalty.ts';
import { Permit } from '../modules/subjects/permit.ts';
import { Query } from '../modules/subjects/query.ts';
import { Authority, Delegation, Jurisdiction, PowerItem } from '../modules/subjects/reference.ts';
import { Subject } from '../modules/subjects/subject.ts';
import {
  ClueTransfer,
  TransferDelivery,
  TransferMutation,
  TransferQuery,
  TransferStep,
} from '../modules/transfers/transfer.ts';
import { AuthorityPerformance, LoopGap, LoopQuery, SubjectLoop, TownshipPowerUse } from '../modules/loop/loop.ts';
import { LoopRecord, UnavailableSystem } from '../modules/subjects/timeline-resolvers.ts';
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
