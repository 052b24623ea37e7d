import type { PortRange } from '../../platform/env-values.ts';

/**
 * The ports webhooks go to unless WEBHOOK_ALLOWED_PORTS says otherwise: HTTP and HTTPS (80, 443)
 * and their conventional alternates (8080, 8443), where agency application servers commonly
 * listen. A subscription names its host and its port; without a port rule the gateway could be
 * made to send requests to SSH, SMTP or a database on any host it may reach (port scanning and
 * cross-protocol requests). None of these four is a port such a service listens on.
 */
export const DEFAULT_WEBHOOK_PORTS: readonly PortRange[] = [80, 443, 8080, 8443].map((port) => ({
  from: port,
  to: port,
}));

/**
 * What is wrong with the port a parsed webhook URL connects to, or null. A URL without a port
 * connects to its scheme's: 80 for http, 443 for https (the URL parser drops a port equal to it).
 */
export function destinationPortProblem(url: URL, allowed: readonly PortRange[]): string | null {
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (allowed.some((range) => port >= range.from && port <= range.to)) return null;
  return `port ${port} is not one webhooks may go to (${describePorts(allowed)}) unless WEBHOOK_ALLOWED_PORTS permits it`;
}

/** `80, 443, 9000-9099`, as the setting is written. */
export function describePorts(ranges: readonly PortRange[]): string {
  return ranges.map((range) => (range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`)).join(', ');
}
