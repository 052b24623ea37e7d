import { createHash } from 'node:crypto';
import { TransferRefusedError } from './transfer-errors.ts';

export const IDEMPOTENCY_KEY_MAX_LENGTH = 128;

/**
 * The fingerprint a key is bound to. Callers pass requests built in code with a fixed key order
 * and every optional field present (null when absent), so the JSON text is canonical.
 */
export function requestFingerprint(operation: string, request: Record<string, unknown>): string {
  return createHash('sha256')
    .update(`${operation}\n${JSON.stringify(request)}`)
    .digest('hex');
}

export function checkIdempotencyKey(key: string): void {
  if (key.trim() === '' || key.length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw new TransferRefusedError(
      'INVALID_INPUT',
      `idempotencyKey must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters (a UUID per logical request is best).`,
      {
        field: 'idempotencyKey',
      },
    );
  }
}
