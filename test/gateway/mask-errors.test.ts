import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorMasker } from '../../src/platform/mask-errors.ts';
import { createLogger } from '../../src/platform/logger.ts';

const mask = createErrorMasker(createLogger({ level: 'silent' }));

describe('error masking', () => {
  it('replaces an unexpected error by a generic message with INTERNAL_SERVER_ERROR', () => {
    const formatted = mask(
      { message: 'connect ECONNREFUSED 10.0.0.5:5432', extensions: { stacktrace: ['at db.ts:1'] } },
      new Error('x'),
    );
    expect(formatted).toEqual({
      message: 'Unexpected error.',
      locations: undefined,
      path: undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('lets coded errors through without their stack', () => {
    const error = new GraphQLError('The credit system is unavailable (http_503).', {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'credit' },
    });
    const formatted = mask(
      { message: error.message, path: ['subject', 'credit'], extensions: { ...error.extensions, stacktrace: ['…'] } },
      error,
    );
    expect(formatted).toEqual({
      message: error.message,
      path: ['subject', 'credit'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'credit' },
    });
  });

  it('turns an unreachable store, however wrapped, into STORE_UNAVAILABLE to be retried, not an internal error', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      errno: -111,
    });
    const wrapped = new GraphQLError('Context creation failed: x', {
      originalError: new Error('query failed', { cause: refused }),
    });
    for (const error of [
      wrapped,
      Object.assign(new Error("Can't reach database server"), { code: 'P1001' }),
      Object.assign(new Error('terminating connection'), { code: '57P01' }),
    ]) {
      expect(mask({ message: 'x', path: ['subject'] }, error)).toEqual({
        message: "The gateway's store is unavailable; retry later.",
        locations: undefined,
        path: ['subject'],
        extensions: { code: 'STORE_UNAVAILABLE', retryAfterSeconds: 2 },
      });
    }
    expect(
      mask({ message: 'x' }, Object.assign(new Error('duplicate key'), { code: '23505' })).extensions?.['code'],
    ).toBe('INTERNAL_SERVER_ERROR');
  });
});
