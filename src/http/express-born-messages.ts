import { IncomingMessage, ServerResponse, type ServerOptions } from 'node:http';
import type { Express } from 'express';

/**
 * Request and response classes for node:http whose instances are born with the prototypes Express
 * gives them (`app.request`, `app.response`), so that Express's `Object.setPrototypeOf` on every
 * request finds them already in place and changes nothing.
 *
 * Why: changing the prototype of a live response made V8's young-generation collector keep every
 * request and response (and all they reach: the body, the parsed document, the answer) until the
 * next full collection. Each scavenge copied them and promoted them to the old generation, where
 * they piled up as garbage. Measured with plain Express 5 and one route, 2 connections: 15.7 KB
 * copied per request with Express's prototype change, 0.02 KB with it already in place, 0.01 KB
 * with node:http alone (bench/notes/young-generation-retention.md).
 */
export function expressBornMessages(): {
  serverOptions: ServerOptions<typeof IncomingMessage, typeof ServerResponse>;
  /** Makes the classes' instances Express's own; before the server accepts its first connection. */
  bornInto(app: Express): void;
} {
  // Plain functions, not classes: a function's `prototype` can be set once the app exists. Node's
  // own constructors are plain functions too, so they are called on the new object: the object
  // `Reflect.construct` makes with another `new.target` took 55 µs each to build, against 0.14.
  function ExpressRequest(this: IncomingMessage, ...args: unknown[]): void {
    Reflect.apply(IncomingMessage, this, args);
  }
  function ExpressResponse(this: ServerResponse, ...args: unknown[]): void {
    Reflect.apply(ServerResponse, this, args);
  }
  // Node's own until `bornInto`: a server made with these options and no app still works.
  ExpressRequest.prototype = Object.create(IncomingMessage.prototype) as IncomingMessage;
  ExpressResponse.prototype = Object.create(ServerResponse.prototype) as ServerResponse;
  return {
    serverOptions: {
      IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
      ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
    },
    bornInto(app) {
      ExpressRequest.prototype = app.request;
      ExpressResponse.prototype = app.response;
    },
  };
}
