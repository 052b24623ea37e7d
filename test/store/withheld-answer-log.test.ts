import { describe, expect, it } from 'vitest';
import { AccessLogUnavailableError, AccessLogWriter } from '../../src/modules/audit/access-log-writer.ts';
import { appendFailureDetails } from '../../src/modules/audit/withheld-answer-log.ts';
import type { AccessLogInput } from '../../src/modules/audit/access-log.ts';

const entry = { at: new Date(), reason: 'test' } as unknown as AccessLogInput;

/** A log that cannot be written: every write and every probe fails as a store gone away would. */
const goneStore = {
  write: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
  probe: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
};

describe('what the log says of answers withheld during an access-log outage', () => {
  it('gives the failure with its stack for the first withheld answer and names it only for the next ones', async () => {
    const writer = new AccessLogWriter(goneStore, { initialRetryMs: 60_000 });
    const failures = await Promise.all(
      Array.from({ length: 5 }, () =>
        writer.append(entry).then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    );
    const more = await Promise.all(
      Array.from({ length: 20 }, () =>
        writer.append(entry).then(
          () => null,
          (error: unknown) => error,
        ),
      ),
    );
    await writer.close();

    const details = [...failures, ...more].map(appendFailureDetails);
    expect(details[0]).toEqual({ err: expect.any(AccessLogUnavailableError) });
    expect(details.slice(1)).toEqual(
      Array.from({ length: 24 }, () => ({
        failure: 'the access log cannot be written (connect ECONNREFUSED 127.0.0.1:5432)',
      })),
    );
  });

  it('gives every other failure in full, each time', () => {
    const bug = new TypeError('entry.roles is not iterable');
    expect(appendFailureDetails(bug)).toEqual({ err: bug });
    expect(appendFailureDetails(bug)).toEqual({ err: bug });
  });
});
