import { GraphQLError } from 'graphql';
import {
  isStoreUnavailable,
  STORE_RETRY_AFTER_SECONDS,
  StoreUnavailableError,
} from '../../platform/store/store-unavailable.ts';
import type { AccessLogWriter } from './access-log-writer.ts';

const WITHHELD_MESSAGE = 'The access log cannot be written, so no answer is given; retry later.';

/** The one error of an answer withheld because its access-log entry could not be written. */
export interface WithheldAnswer {
  message: string;
  extensions: { code: 'STORE_UNAVAILABLE' | 'ACCESS_LOG_UNAVAILABLE'; retryAfterSeconds: number };
}

/**
 * Why an answer is withheld, said the same way wherever the access log failed it (the plugin, a
 * refusal's recorder, the guard): when the log could not be written because the store cannot be
 * reached, STORE_UNAVAILABLE, as a request whose context reads the caller's grants from that
 * store is answered during the outage; when the store answers but the log refuses the entry,
 * ACCESS_LOG_UNAVAILABLE with the writer's next attempt as Retry-After.
 */
export function withheldAnswer(writer: AccessLogWriter, failure: unknown = writer.failed): WithheldAnswer {
  if (isStoreUnavailable(failure)) {
    const { message } = new StoreUnavailableError();
    return { message, extensions: { code: 'STORE_UNAVAILABLE', retryAfterSeconds: STORE_RETRY_AFTER_SECONDS } };
  }
  return {
    message: WITHHELD_MESSAGE,
    extensions: { code: 'ACCESS_LOG_UNAVAILABLE', retryAfterSeconds: writer.retryAfterSeconds() },
  };
}

/** The same, to throw inside Apollo's pipeline: the unavailable-status plugin makes it a 503 with Retry-After. */
export function withheldAnswerError(writer: AccessLogWriter, failure?: unknown): GraphQLError {
  const { message, extensions } = withheldAnswer(writer, failure);
  return new GraphQLError(message, {
    extensions: {
      ...extensions,
      http: { status: 503, headers: new Map([['retry-after', String(extensions.retryAfterSeconds)]]) },
    },
  });
}
