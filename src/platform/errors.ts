import { GraphQLError } from 'graphql';
import type { AgencySystem } from '../domain/types.ts';

/**
 * One GraphQLError class per error code. Every message here is shown to clients as it is,
 * so it names the agency system and a short reason, never a URL, a key or a stack.
 */

export type UpstreamErrorCode = 'UPSTREAM_UNAVAILABLE' | 'UPSTREAM_TIMEOUT' | 'UPSTREAM_BAD_RESPONSE';

/** Common base of the errors raised when talking to an agency system. */
export abstract class UpstreamError extends GraphQLError {
  abstract readonly code: UpstreamErrorCode;
  readonly system: AgencySystem;

  protected constructor(message: string, system: AgencySystem, extensions: Record<string, unknown>) {
    super(message, { extensions: { ...extensions, system } });
    this.system = system;
  }
}

/**
 * The agency system could not be reached or failed (connection refused or reset, HTTP 5xx),
 * or the gateway refused to call it (circuit open, too many calls queued).
 */
export class UpstreamUnavailableError extends UpstreamError {
  readonly code = 'UPSTREAM_UNAVAILABLE';
  /** Machine-readable: `connection_refused`, `http_503`, `circuit_open`, `concurrency_limit`, … */
  readonly reason: string;

  constructor(system: AgencySystem, reason: string, message = `The ${system} system is unavailable (${reason}).`) {
    super(message, system, { code: 'UPSTREAM_UNAVAILABLE', reason });
    this.name = 'UpstreamUnavailableError';
    this.reason = reason;
  }
}

/**
 * The gateway could not open a connection to the system for want of its own resources (file
 * descriptors, buffers, local ports): nothing is known of the system's health, so the message
 * says whose shortage it is and the breaker does not count it against the system.
 */
export class GatewayShortOfResourcesError extends UpstreamUnavailableError {
  static readonly REASON = 'gateway_out_of_resources';

  constructor(system: AgencySystem) {
    super(
      system,
      GatewayShortOfResourcesError.REASON,
      `The gateway is short of its own resources (${GatewayShortOfResourcesError.REASON}) and could not call the ${system} system; try again shortly.`,
    );
  }
}

/** The agency system did not answer in time. */
export class UpstreamTimeoutError extends UpstreamError {
  readonly code = 'UPSTREAM_TIMEOUT';
  readonly timeoutMs: number;

  constructor(system: AgencySystem, timeoutMs: number) {
    super(`The ${system} system did not answer within ${timeoutMs} ms.`, system, {
      code: 'UPSTREAM_TIMEOUT',
      timeoutMs,
    });
    this.name = 'UpstreamTimeoutError';
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The agency system answered, but not with something the gateway can use: HTTP 4xx (a bug of
 * ours, so never retried), a body that is not JSON, an error envelope, or an unexpected shape.
 */
export class UpstreamBadResponseError extends UpstreamError {
  readonly code = 'UPSTREAM_BAD_RESPONSE';
  /** Machine-readable: `http_400`, `invalid_json`, `error_envelope`, `unexpected_shape`, … */
  readonly reason: string;

  constructor(system: AgencySystem, reason: string) {
    super(`The ${system} system gave an unusable response (${reason}).`, system, {
      code: 'UPSTREAM_BAD_RESPONSE',
      reason,
    });
    this.name = 'UpstreamBadResponseError';
    this.reason = reason;
  }
}

/** The caller's input cannot be right: a bad argument, page size, cursor or scalar value. */
export class BadUserInputError extends GraphQLError {
  readonly code = 'BAD_USER_INPUT';

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code: 'BAD_USER_INPUT' } });
    this.name = 'BadUserInputError';
  }
}

/** What is wrong with an identifier, e.g. a `UsccProblem` from src/identifiers/uscc.ts. */
export interface IdentifierProblem {
  kind: string;
  message: string;
}

/**
 * A client sent an identifier (USCC, legacy registration number, …) that cannot be right;
 * `extensions.problem` names the rule it breaks so agency systems can react without parsing text.
 */
export class InvalidIdentifierError extends BadUserInputError {
  readonly problem: IdentifierProblem;

  constructor(identifier: string, problem: IdentifierProblem) {
    super(`Invalid ${identifier}: ${problem.message}.`, { problem: problem.kind });
    this.name = 'InvalidIdentifierError';
    this.problem = problem;
  }
}

/** The caller named something (by id) that does not exist. */
export class NotFoundError extends GraphQLError {
  readonly code = 'NOT_FOUND';

  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code: 'NOT_FOUND' } });
    this.name = 'NotFoundError';
  }
}
