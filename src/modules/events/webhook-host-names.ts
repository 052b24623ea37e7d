/**
 * Host names that reach inside the network whatever DNS says, so they can be refused without a
 * lookup: at subscription time (where a name that does not resolve yet is otherwise accepted) and
 * at every send, by the same check.
 */

/** Cloud instance-metadata services (credentials, tokens) under names outside the suffixes below. */
const METADATA_SERVICE_NAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata.tencentyun.com',
  'instance-data.ec2.internal',
]);

/**
 * Suffixes only a private resolver answers (`localhost` is judged apart, as the loopback address it
 * names): RFC 6762/8375 special-use names, ICANN's
 * `.internal` (reserved for private use, 2024), Kubernetes' service domain, and the private
 * top-level names networks commonly use.
 */
const INTERNAL_SUFFIXES: readonly string[] = [
  'internal',
  'local',
  'localdomain',
  'home.arpa',
  'intranet',
  'corp',
  'lan',
  'home',
  'private',
  'svc',
];

/**
 * What makes `hostname` (as the WHATWG URL parser gives it, lower case, not an IP literal) an
 * internal name, or null. A single-label name (`metadata`, `redis`) is resolved only through this
 * network's search domains, so it is internal too.
 */
export function internalHostNameProblem(hostname: string): string | null {
  if (METADATA_SERVICE_NAMES.has(hostname)) return `${hostname} is a cloud instance-metadata service`;
  if (!hostname.includes('.'))
    return `${hostname} is a single-label name, which only this network's own resolver answers`;
  const suffix = INTERNAL_SUFFIXES.find((name) => hostname === name || hostname.endsWith(`.${name}`));
  if (suffix !== undefined) return `${hostname} is in .${suffix}, a domain only a private resolver answers`;
  return null;
}
