import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { noteAccessLogged } from './http/access-logged-requests.ts';
import type { Loaders } from './modules/subjects/create-loaders.ts';
import { ObjectSlot } from './platform/object-slot.ts';

/** An Apollo response (`GraphQLRequestContext.response`): its body is the answer's data until it is sent. */
interface ApolloResponse {
  body?: unknown;
}

/**
 * What a request's context makes on first use (its loaders, some thirty DataLoaders, and its child
 * logger), and the context's links back to its HTTP request, cut once the answer has been sent.
 *
 * Why cut them: Apollo hands the gateway executor (src/platform/execution-gateway.ts) an object
 * literal with a getter and a setter (`response.http.status`) closing over its request context,
 * and V8 keeps each such pair reachable from the old generation until the next full collection.
 * Until then every scavenge copied whatever that request context reached: the context, through it
 * the HTTP request and response, and the answer's data, 25–30 KB for a one-field query and 180 KB
 * for the large list (bench/notes/answered-requests.md). What is left reachable once cut is Apollo's
 * own record of the request (its body and variables, headers, document) and the context's small
 * per-request objects (permissions, the subjects touched).
 *
 * No closures over the request: V8 keeps one scope per function for all its closures, so a single
 * closure over `req` in the context factory would have held `req` for all of them.
 */
export class RequestParts {
  #req: Request | undefined;
  #makeLoaders: (() => Loaders) | undefined;
  #loaders: Loaders | undefined;
  #executed = false;
  readonly #log: { readonly logger: Logger };
  #responses: ApolloResponse[] = [];

  constructor(req: Request, log: { readonly logger: Logger }, makeLoaders: () => Loaders) {
    this.#req = req;
    this.#log = log;
    this.#makeLoaders = makeLoaders;
    requestParts.set(req, this);
  }

  loaders(): Loaders {
    if (this.#executed || !this.#makeLoaders) {
      throw new Error('the operation has been executed: its request reads no agency any more');
    }
    return (this.#loaders ??= this.#makeLoaders());
  }

  logger(): Logger {
    return this.#log.logger;
  }

  /**
   * For the access log: the guard on /graphql lets this request's answer go (src/http/unlogged-answers.ts).
   * The access-log plugin calls it in `willSendResponse`, before Apollo's handler settles; called
   * after the release it can no longer reach the request, and says so: the guard would then record
   * a refusal for an answer that has its entry.
   */
  readonly noteAccessLogged = (): void => {
    if (this.#req) noteAccessLogged(this.#req);
    else this.#log.logger.error('an access-log entry was noted after its request was released');
  };

  /** Once the operation has been executed (request-context.ts, `letGoOfLoaders`, says why). */
  letGoOfLoaders(): void {
    this.#executed = true;
    this.#loaders = undefined;
  }

  /** An operation's Apollo response, whose data is let go with the rest (a batch has several). */
  answersWith(response: ApolloResponse): void {
    if (this.#req) this.#responses.push(response);
  }

  /** Once Apollo's handler has settled: nothing reads the request, its loaders or its data any more. */
  release(): void {
    this.letGoOfLoaders();
    this.#makeLoaders = undefined;
    for (const response of this.#responses) response.body = undefined;
    this.#responses = [];
    if (this.#req) requestParts.set(this.#req, undefined);
    this.#req = undefined;
  }
}

const requestParts = new ObjectSlot<Request, RequestParts | undefined>('request parts');

/**
 * Apollo's Express handler, followed by the release of what its request's context reached. The
 * handler's promise settles after every plugin's `willSendResponse` and the handing of the answer
 * to Express (or a failure), never earlier: a client that goes away mid-request does not cut a
 * context its operation still runs with. An answer the unlogged-answers guard holds may still be
 * unwritten then; the guard reads only the request and response, never the context.
 */
export function releasedOnceAnswered(handler: RequestHandler): RequestHandler {
  return async (req, res, next) => {
    try {
      await handler(req, res, next);
    } finally {
      requestParts.get(req)?.release();
    }
  };
}
