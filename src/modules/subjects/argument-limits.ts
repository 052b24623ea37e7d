import { BadUserInputError } from '../../platform/errors.ts';

/** Longest record number or code any agency issues, with room to spare. */
export const MAX_IDENTIFIER_LENGTH = 64;

/**
 * Refuses an argument longer than `max` characters: every identifier ends up in an upstream
 * batch body or a SQL predicate, and none is legitimately long. Refused as every over-long string
 * argument is (`reason: too_long`, `length`, `limit`), so that a client tells it by its code.
 */
export function bounded(argument: string, value: string, max = MAX_IDENTIFIER_LENGTH): string {
  if (value.length > max) {
    throw new BadUserInputError(`${argument} must be at most ${max} characters, got ${value.length}`, {
      argument,
      reason: 'too_long',
      length: value.length,
      limit: max,
    });
  }
  return value;
}
