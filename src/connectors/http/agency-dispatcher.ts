import { Agent, interceptors } from 'undici';
import { refuseDeclaredOverLimit } from './declared-length-limit.ts';

/**
 * The largest answer body read from an agency: far above a page of 500 records (a few MB), far
 * below what would hold the event loop and the heap (a 300 MB answer took 9.7 s and 564 MB). A
 * longer one is UPSTREAM_BAD_RESPONSE `body_too_large`: refused from its headers when its declared
 * length is over, cut off where it passes the limit when it is streamed (counted by undici's
 * parser as the bytes arrive, so reading costs nothing more).
 */
export const MAX_AGENCY_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The connections every agency call goes through: one keep-alive pool per origin, and redirects
 * followed (at most 20) as the global fetch used before followed them. The process holds it for
 * its lifetime as it held fetch's global dispatcher; idle sockets do not keep the process alive.
 * An Agent of our own rather than `getGlobalDispatcher()`: that slot is shared with Node's bundled
 * undici (another major version in Node 20), which fills it the first time anything calls fetch.
 */
export const agencyDispatcher = new Agent({ maxResponseSize: MAX_AGENCY_BODY_BYTES }).compose(
  // Innermost, so each answer of a redirect chain is judged by its own headers.
  refuseDeclaredOverLimit(MAX_AGENCY_BODY_BYTES),
  interceptors.redirect({ maxRedirections: 20 }),
);
