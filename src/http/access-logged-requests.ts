import type { IncomingMessage } from 'node:http';

/** Requests whose access-log entry is written, or whose answer was withheld because it could not be. */
const settled = new WeakSet<IncomingMessage>();

/**
 * Called by every writer of an entry (the access-log plugin, the refusals' recorders) once it is
 * done with a request, so the guard on /graphql (unlogged-answers.ts) lets its answer go as it is.
 */
export function noteAccessLogged(req: IncomingMessage): void {
  settled.add(req);
}

/** Whether an entry was written for the request, or its answer withheld; the guard's question. */
export function accessLogged(req: IncomingMessage): boolean {
  return settled.has(req);
}
