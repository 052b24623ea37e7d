import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { createErrorMasker } from '../../src/mask-errors.ts';
import { createLogger } from '../../src/observability/logger.ts';

const mask = createErrorMasker(createLogger({ level: 'silent' }));

describe('error masking', () => {
  it('replaces an unexpected error by a generic message with INTERNAL_SERVER_ERROR', () => {
    const formatted = mask({ message: 'connect ECONNREFUSED 10.0.0.5:5432', extensions: { stacktrace: ['at db.ts:1'] } }, new Error('x'));
    expect(formatted).toEqual({ message: 'Unexpected error.', locations: undefined, path: undefined, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  });

  it('lets coded errors through without their stack', () => {
    const error = new GraphQLError('The credit system is unavailable (http_503).', {
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'credit' },
    });
    const formatted = mask({ message: error.message, path: ['subject', 'credit'], extensions: { ...error.extensions, stacktrace: ['…'] } }, error);
    expect(formatted).toEqual({
      message: error.message,
      path: ['subject', 'credit'],
      extensions: { code: 'UPSTREAM_UNAVAILABLE', system: 'credit' },
    });
  });
});
