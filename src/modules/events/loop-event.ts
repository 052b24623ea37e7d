import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';

/**
 * What agencies can be told of (精准推送). Producers (the transfer service, the loop index's feed
 * sync) describe what happened; the event outbox decides who is subscribed and delivers.
 */
export type LoopEventKind =
  /** A permit was issued: concerns the department that supervises it. */
  | 'PERMIT_ISSUED'
  /** A permit changed (suspended, revoked, amended): concerns its supervising department. */
  | 'PERMIT_CHANGED'
  /** An inspection found a violation: concerns the authority that can act on it. */
  | 'VIOLATION_FOUND'
  /** A penalty was decided: concerns the credit platform and the office that issued the affected permit. */
  | 'PENALTY_DECIDED'
  /** A clue transfer moved a step: concerns its sender. */
  | 'TRANSFER_STEP'
  /** A sharing request was submitted: concerns the owning authority asked and the consumer. */
  | 'SHARING_REQUEST_SUBMITTED'
  /** A sharing request was answered: concerns the consumer and the owning authority. */
  | 'SHARING_REQUEST_ANSWERED'
  /**
   * A clue transfer has not reached the enforcement system: still failing after many attempts
   * (STALLED, still retried) or refused by it (DEAD, until replayed). Concerns its sender.
   */
  | 'TRANSFER_DELIVERY_FAILING'
  /** A penalty or credit change flipped a subject's credit-check verdict: concerns the offices that issued its permits. */
  | 'CREDIT_CHECK_CHANGED';

export interface LoopEvent {
  kind: LoopEventKind;
  /** The subject the event is about; delivery keeps each subject's events in order. */
  subjectUscc: string;
  /** Codes of the authorities the event concerns; only their subscriptions receive it. */
  concerns: string[];
  occurredAt: Date;
  /** Stable identity of the fact (e.g. `PENALTY_DECIDED:<penaltyNo>`), so publishing twice delivers once. */
  dedupeKey: string;
  payload: Record<string, unknown>;
}

/** A Prisma client or a transaction's client: events are written in the producer's own transaction. */
export type StoreClient = PrismaClient | Prisma.TransactionClient;

export interface EventPublisher {
  /** Adds the events to the outbox, inside the given transaction when there is one; duplicates are ignored. */
  publish(events: readonly LoopEvent[], db?: StoreClient): Promise<void>;
}
