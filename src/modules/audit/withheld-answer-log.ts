import { AccessLogUnavailableError, causeOf } from './access-log-writer.ts';

/** Failures whose stack the log already has. */
const told = new WeakSet<AccessLogUnavailableError>();

/**
 * What a log line about an answer withheld because its entry could not be appended says of the
 * failure. While the log cannot be written the writer refuses every append with one and the same
 * error until its next probe, so under load an outage was dozens of identical stacks a second: the
 * first line of each such failure carries it whole (`err`), the others name it only. Any other
 * failure (a fault in building the entry, say) is given whole every time.
 */
export function appendFailureDetails(failure: unknown): { err: unknown } | { failure: string } {
  if (!(failure instanceof AccessLogUnavailableError)) return { err: failure };
  if (!told.has(failure)) {
    told.add(failure);
    return { err: failure };
  }
  return { failure: `${failure.message} (${causeOf(failure)})` };
}
