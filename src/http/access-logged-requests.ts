import type { IncomingMessage } from 'node:http';
import { ObjectSlot } from '../platform/object-slot.ts';

/** Requests whose access-log entry is appended (or about to be, in the same turn), or whose answer was withheld because it could not be. */
const settled = new ObjectSlot<IncomingMessage, true>('access-logged');

/**
 * Called by every writer of an entry (the access-log plugin, the refusals' recorders) once it is
 * done with a request, so the guard on /graphql (unlogged-answers.ts) lets its answer go as it is.
 */
export function noteAccessLogged(req: IncomingMessage): void {
  settled.set(req, true);
  announced.get(req)?.();
  announced.clear(req);
}

/** What to call when a request's announced entry has come (the writer's `expect`). */
const announced = new ObjectSlot<IncomingMessage, () => void>('access-log entry announced');

/**
 * Remembers that the request's entry is on its way (`AccessLogWriter.expect`); noting it logged
 * (called by every writer of an entry right before it appends) says it has come.
 */
export function announceAccessLogEntry(req: IncomingMessage, arrived: () => void): void {
  announced.set(req, arrived);
}

/** Whether an entry was written for the request, or its answer withheld; the guard's question. */
export function accessLogged(req: IncomingMessage): boolean {
  return settled.has(req);
}
