import { Agent, interceptors } from 'undici';

/**
 * The connections every agency call goes through: one keep-alive pool per origin, and redirects
 * followed (at most 20) as the global fetch used before followed them. The process holds it for
 * its lifetime as it held fetch's global dispatcher; idle sockets do not keep the process alive.
 * An Agent of our own rather than `getGlobalDispatcher()`: that slot is shared with Node's bundled
 * undici (another major version in Node 20), which fills it the first time anything calls fetch.
 */
export const agencyDispatcher = new Agent().compose(interceptors.redirect({ maxRedirections: 20 }));
