import { describe, expect, it } from 'vitest';
import type { FormattedExecutionResult } from 'graphql';
import { serializeEarly, stringifyResult } from '../../src/http/early-serialized-answers.ts';

/** What Apollo hands `stringifyResult`: a new object holding the answer's parts, in this order. */
const asApolloHandsIt = (result: FormattedExecutionResult): FormattedExecutionResult => ({
  errors: result.errors,
  data: result.data,
  extensions: result.extensions,
});

const answer = (): FormattedExecutionResult => ({
  errors: [{ message: 'credit is away', path: ['subject', 'credit'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }],
  data: { subject: { name: '瑞安市恒利印刷有限公司', credit: null } },
  extensions: { warnings: [{ code: 'HOLIDAY_CALENDAR_ENDING' }] },
});

describe('an answer serialised before the access-log wait', () => {
  it('is sent as the text made then, which is the text Apollo would have made', () => {
    const result = answer();
    serializeEarly(result);
    const fresh = `${JSON.stringify(asApolloHandsIt(answer()))}\n`;
    const early = stringifyResult(asApolloHandsIt(result));
    expect(early).toBe(fresh);
  });

  it('is made from the parts at that moment, and the text is not kept once asked for', () => {
    const result = answer();
    serializeEarly(result);
    stringifyResult(asApolloHandsIt(result));
    // A second ask (no such thing in Apollo) serialises afresh rather than reusing a text it gave away.
    expect(stringifyResult(asApolloHandsIt(result))).toBe(`${JSON.stringify(asApolloHandsIt(answer()))}\n`);
  });

  it('is serialised afresh when it was withheld afterwards (data, errors and extensions replaced)', () => {
    const result = answer();
    serializeEarly(result);
    result.data = null;
    result.errors = [{ message: 'the access log cannot be written', extensions: { code: 'ACCESS_LOG_UNAVAILABLE' } }];
    result.extensions = undefined;
    const sent = stringifyResult(asApolloHandsIt(result));
    expect(sent).not.toContain('瑞安市');
    expect(JSON.parse(sent)).toEqual({
      data: null,
      errors: [expect.objectContaining({ message: result.errors[0]!.message })],
    });
  });

  it('is serialised afresh when its errors or extensions were replaced by a later step', () => {
    const withErrorsRewritten = answer();
    serializeEarly(withErrorsRewritten);
    withErrorsRewritten.errors = [{ message: 'rewritten' }];
    expect(stringifyResult(asApolloHandsIt(withErrorsRewritten))).toContain('rewritten');

    const withExtensionsReplaced = answer();
    serializeEarly(withExtensionsReplaced);
    withExtensionsReplaced.extensions = { warnings: [] };
    expect(JSON.parse(stringifyResult(asApolloHandsIt(withExtensionsReplaced))).extensions).toEqual({ warnings: [] });
  });

  it('refuses a change made in place afterwards, which the text would not show', () => {
    const result = answer();
    serializeEarly(result);
    expect(() => (result.errors as unknown[]).push({ message: 'late' })).toThrow(TypeError);
    expect(() => {
      (result.extensions as Record<string, unknown>)['late'] = true;
    }).toThrow(TypeError);
  });

  it('leaves an answer it cannot serialise to Apollo, which fails on it as before', () => {
    const result: FormattedExecutionResult = { data: { count: 1n } as unknown as Record<string, unknown> };
    expect(() => serializeEarly(result)).not.toThrow();
    expect(() => stringifyResult(asApolloHandsIt(result))).toThrow(TypeError);
  });

  it('is not made for an answer without data, which nothing holds up', () => {
    const refused: FormattedExecutionResult = { errors: [{ message: 'refused' }] };
    serializeEarly(refused);
    expect(Object.isFrozen(refused.errors)).toBe(false);
    expect(stringifyResult(asApolloHandsIt(refused))).toBe(`${JSON.stringify({ errors: refused.errors })}\n`);
  });
});
