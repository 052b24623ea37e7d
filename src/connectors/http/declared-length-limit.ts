import { errors, type Dispatcher } from 'undici';

/**
 * Refuses an answer whose `Content-Length` is over `limit` as soon as its headers arrive. The
 * Agent's `maxResponseSize` counts bytes only as they are read, so an answer declaring 1 GB is
 * otherwise read up to the limit first (or waited on until the timeout, if the rest never comes).
 * Aborting destroys the socket: a connection with an unread body is never reused.
 */
export function refuseDeclaredOverLimit(limit: number): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) =>
    dispatch(options, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(controller, context),
      onRequestUpgrade: (controller, statusCode, headers, socket) =>
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket),
      onResponseStart(controller, statusCode, headers, statusMessage) {
        const declared = Number(headers['content-length']);
        // A HEAD answer declares the length of a body it does not send.
        if (options.method !== 'HEAD' && declared > limit) {
          controller.abort(
            new errors.ResponseExceededMaxSizeError(`Response declares ${declared} bytes, over the limit of ${limit}`),
          );
          return;
        }
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(controller, chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(controller, trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(controller, error),
    });
}
