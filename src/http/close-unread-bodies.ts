import { ServerResponse } from 'node:http';
import type { Express } from 'express';

/**
 * Closes the connection of any answer given before its request's body was read to the end: a body
 * over the size limit refused by its Content-Length (413), one of a media type the parser leaves
 * alone (415), a refusal before the body was wanted at all (401, 429).
 *
 * Why: to keep such a connection for the next request, Node reads the rest of the body and throws
 * it away. For a 1 MB body refused at 256 KB that was most of the refusal's cost: reading the
 * megabyte, and the kernel's work of receiving it on the gateway's own time. With
 * `Connection: close` (RFC 9110 §15.5.14 allows it for 413) Node closes the socket once the answer
 * is written, and the rest of the body is never read.
 *
 * Installed once on the app's response prototype, so every response of the app and of the apps
 * mounted in it has it, at no cost per request.
 */
export function closeConnectionsLeftUnread(app: Express): void {
  const writeHead = ServerResponse.prototype.writeHead;
  Object.defineProperty(app.response, 'writeHead', {
    configurable: true,
    writable: true,
    value: function writeHeadClosingUnread(this: ServerResponse, ...args: unknown[]): unknown {
      if (this.req !== undefined && !this.req.complete && !this.headersSent) this.setHeader('Connection', 'close');
      return Reflect.apply(writeHead, this, args);
    },
  });
}
