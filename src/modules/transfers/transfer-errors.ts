import { GraphQLError } from 'graphql';
import { BadUserInputError } from '../../platform/errors.ts';
import type { TransferStatus } from './transfer-states.ts';

/** Why a transfer cannot be made; clients react to `extensions.reason` without parsing text. */
export type TransferRefusal =
  | 'UNKNOWN_SUBJECT'
  | 'SUBJECT_WITHOUT_TOWNSHIP'
  | 'UNKNOWN_POWER_ITEM'
  | 'NO_RECEIVING_AUTHORITY'
  | 'UNKNOWN_RECEIVER'
  | 'RECEIVER_HOLDS_NO_SUCH_POWER'
  | 'SENDER_IS_RECEIVER'
  | 'UNKNOWN_INSPECTION'
  | 'INSPECTION_OF_ANOTHER_SUBJECT'
  | 'MISSING_DETAILS'
  | 'EXTENSION_ALREADY_GRANTED'
  | 'EXTENSION_TOO_LATE'
  | 'INVALID_INPUT';

export class TransferRefusedError extends BadUserInputError {
  constructor(
    readonly reason: TransferRefusal,
    message: string,
    extensions: Record<string, unknown> = {},
  ) {
    super(message, { ...extensions, reason });
    this.name = 'TransferRefusedError';
  }
}

/** A step the state machine does not allow from where the transfer stands. */
export class IllegalTransitionError extends GraphQLError {
  constructor(from: TransferStatus, to: string, allowed: readonly string[]) {
    super(
      `A transfer in state ${from} cannot move to ${to}${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ' (it has ended)'}.`,
      {
        extensions: { code: 'ILLEGAL_TRANSITION', from, to, allowed },
      },
    );
    this.name = 'IllegalTransitionError';
  }
}

/** The idempotency key was used before for a different request. */
export class IdempotencyConflictError extends GraphQLError {
  constructor(key: string) {
    super(
      `The idempotency key ${JSON.stringify(key)} was already used for a different request; use a new key for a new request.`,
      {
        extensions: { code: 'CONFLICT', reason: 'IDEMPOTENCY_KEY_REUSED' },
      },
    );
    this.name = 'IdempotencyConflictError';
  }
}

export class TransferNotFoundError extends GraphQLError {
  constructor(id: string) {
    super(`No transfer ${id}.`, { extensions: { code: 'NOT_FOUND' } });
    this.name = 'TransferNotFoundError';
  }
}

/** The caller is not a party to the transfer (or not the party who may do this). */
export class NotTransferPartyError extends GraphQLError {
  constructor(message: string, rule: 'not-a-party' | 'receiver-only' | 'authentication-required') {
    super(`Not allowed: ${message}.`, { extensions: { code: 'FORBIDDEN', rule } });
    this.name = 'NotTransferPartyError';
  }
}
