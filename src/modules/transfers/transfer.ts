import type { Principal } from '../../auth/principal.ts';
import type { GatewayContext } from '../../context.ts';
import { formatChinaInstant } from '../../domain/china-time.ts';
import { BadUserInputError } from '../../platform/errors.ts';
import { administratorOf, isGatewayOperator } from '../administration/index.ts';
import { pageSize } from '../../platform/page-size.ts';
import type {
  ClueTransferResolvers,
  MutationResolvers,
  QueryResolvers,
  TransferDeliveryResolvers,
  TransferStepResolvers,
} from '../../generated/graphql.ts';
import { isOverdue, wasAnsweredLate } from './transfer-deadline.ts';
import { allowedSteps, isExtendable } from './transfer-states.ts';
import { NotTransferPartyError } from './transfer-errors.ts';
import type { TransferService } from './transfer-service.ts';

/** Transfers need to know who is calling: the sender, the receiver or an auditor. */
function transfersFor(context: GatewayContext): { service: TransferService; principal: Principal } {
  if (!context.transfers || !context.principal || !context.permissions) {
    throw new NotTransferPartyError(
      'clue transfers need authentication (AUTH_REQUIRED=true): the parties are known only from their tokens',
      'authentication-required',
    );
  }
  // Deadlines counted and subjects looked up for this request tell its warnings what they could not cover or read.
  // The caller with the roles that hold here: an auditor of another county is no auditor of these transfers.
  return { service: context.transfers.reportingTo(context.warnings), principal: context.permissions.actor };
}

/** The access log records which subjects' transfers a request read or changed. */
function touched<T extends { subjectUscc: string }>(context: GatewayContext, transfers: T[]): T[] {
  for (const transfer of transfers) context.subjectsTouched.add(transfer.subjectUscc);
  return transfers;
}

export const TransferMutation: Pick<
  MutationResolvers,
  'transferClue' | 'reportTransferStep' | 'extendTransferDeadline' | 'replayTransferDeliveries'
> = {
  transferClue: async (_, { input, idempotencyKey }, context) => {
    const { service, principal } = transfersFor(context);
    context.subjectsTouched.add(input.subject);
    return service.send(
      principal,
      {
        subjectUscc: input.subject,
        powerItemCode: input.powerItemCode,
        findings: input.findings,
        evidenceRefs: input.evidenceRefs,
        inspectionId: input.inspectionId ?? null,
        receiverCode: input.receiverAuthorityCode ?? null,
      },
      idempotencyKey,
    );
  },
  reportTransferStep: async (_, { input, idempotencyKey }, context) => {
    const { service, principal } = transfersFor(context);
    const outcome = await service.report(
      principal,
      {
        transferId: input.transferId,
        step: input.step,
        reason: input.reason ?? null,
        caseNo: input.caseNo ?? null,
        decisionNo: input.decisionNo ?? null,
        note: input.note ?? null,
      },
      idempotencyKey,
    );
    touched(context, [outcome.transfer]);
    return outcome;
  },
  extendTransferDeadline: async (_, { transferId, reason, idempotencyKey }, context) => {
    const { service, principal } = transfersFor(context);
    const outcome = await service.extend(principal, transferId, reason, idempotencyKey);
    touched(context, [outcome.transfer]);
    return outcome;
  },
  replayTransferDeliveries: async (_, { transferIds }, context) => {
    const { service } = transfersFor(context);
    if (transferIds.length === 0 || transferIds.length > 500) {
      throw new BadUserInputError(`transferIds: give 1 to 500 transfer ids, got ${transferIds.length}`);
    }
    // The gateway's operator replays any; an agency's administrator only its own authority's
    // transfers, sent or received (of another county: none reach it as a party).
    const caller = administratorOf(context);
    return service.replayDeliveries(transferIds, isGatewayOperator(caller) ? undefined : caller.authorityCode);
  },
};

export const TransferQuery: Pick<QueryResolvers, 'transfer' | 'transfers'> = {
  transfer: async (_, { id }, context) => {
    const { service, principal } = transfersFor(context);
    return touched(context, [await service.get(principal, id)])[0]!;
  },
  transfers: async (_, { filter }, context) => {
    const { service, principal } = transfersFor(context);
    const first = pageSize('transfers', filter?.first);
    return touched(
      context,
      await service.list(principal, {
        first,
        role: filter?.role ?? undefined,
        statuses: filter?.statuses ?? undefined,
        subjectUscc: filter?.subject ?? undefined,
        overdueOnly: filter?.overdueOnly ?? false,
        authorityCode: filter?.authorityCode ?? undefined,
      }),
    );
  },
};

export const ClueTransfer: ClueTransferResolvers = {
  // From the copy transfers are routed with, so a transfer reads whole while the enforcement system is down.
  powerItem: async (transfer, _, context) =>
    (await transfersFor(context).service.referenceData()).powerItems.get(transfer.powerItemCode) ?? null,
  sender: async (transfer, _, context) =>
    (await transfersFor(context).service.referenceData()).authorities.get(transfer.senderCode) ?? null,
  receiver: async (transfer, _, context) =>
    (await transfersFor(context).service.referenceData()).authorities.get(transfer.receiverCode) ?? null,
  routedBy: (transfer) => transfer.routedBy as 'NAMED',
  sentAt: (transfer) => formatChinaInstant(transfer.createdAt.getTime()),
  overdue: (transfer, _, context) => isOverdue(transfer, transfersFor(context).service.today()),
  answeredLate: (transfer) => wasAnsweredLate(transfer),
  calendarCovered: (transfer, _, context) =>
    transfersFor(context).service.calendar.covers(transfer.receivedOn, transfer.answerDueOn),
  workingDaysToAnswer: (transfer, _, context) =>
    transfer.answeredOn === null
      ? null
      : transfersFor(context).service.calendar.workingDaysBetween(transfer.receivedOn, transfer.answeredOn),
  history: (transfer) => transfer.steps,
  nextSteps: (transfer) => [...allowedSteps(transfer.status)],
  extendable: (transfer, _, context) => isExtendable(transfer, transfersFor(context).service.today()),
};

export const TransferStep: TransferStepResolvers = {
  at: (step) => formatChinaInstant(step.at.getTime()),
  authorityCode: (step) => step.actorAuthorityCode,
  actor: (step) => step.actorSubject,
};

export const TransferDelivery: TransferDeliveryResolvers = {
  deliveredAt: (delivery) => (delivery.deliveredAt ? formatChinaInstant(delivery.deliveredAt.getTime()) : null),
  stalledAt: (delivery) => (delivery.stalledAt ? formatChinaInstant(delivery.stalledAt.getTime()) : null),
  deadAt: (delivery) => (delivery.deadAt ? formatChinaInstant(delivery.deadAt.getTime()) : null),
  enforcementClueId: (delivery) => delivery.upstreamClueId,
};
