import { readFileSync } from 'node:fs';

/**
 * Descriptors kept back from client connections: the store's files (PGlite holds a hundred or more
 * open, PostgreSQL's pools 18 sockets), the agency calls (16 at a time per source by default, and
 * their kept-alive sockets), webhook and transfer deliveries, the JWKS fetch, Redis, the logs. A
 * quarter of the limit, never fewer than 256.
 */
const MIN_RESERVE = 256;
/** Where the soft limit is unknown (not Linux): the usual default of `ulimit -n`. */
const ASSUMED_FILE_LIMIT = 1024;
/**
 * Idle connections cost memory too: about 8 KB each (8,000 idle ones added 64 MB to the gateway's
 * RSS), so this many hold about 80 MB; a gateway needing more wants a proxy in front of it anyway.
 */
const MAX_DEFAULT_CONNECTIONS = 10_000;

/**
 * The process's soft limit on open descriptors (`ulimit -n`), read from `/proc/self/limits`:
 * Node has no API for it. Null where that file is missing (not Linux) or says `unlimited`.
 */
export function openFileLimit(
  readLimits: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | null {
  let text: string;
  try {
    text = readLimits();
  } catch {
    return null;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : null;
}

/**
 * HTTP_MAX_CONNECTIONS unset: the open-file limit less its reserve (a quarter, at least 256), at
 * most 10,000. `ulimit -n` 1024 gives 768, 20000 gives 10,000, 512 gives 256.
 */
export function defaultMaxConnections(fileLimit: number | null): number {
  const limit = fileLimit ?? ASSUMED_FILE_LIMIT;
  const reserve = Math.max(MIN_RESERVE, Math.ceil(limit / 4));
  return Math.max(1, Math.min(MAX_DEFAULT_CONNECTIONS, limit - reserve));
}
