import {
  destinationAddressProblem,
  isAllowedHost,
  PUBLIC_DESTINATIONS_ONLY,
  type WebhookDestinationPolicy,
} from './webhook-destination-policy.ts';
import { internalHostNameProblem } from './webhook-host-names.ts';
import { destinationPortProblem } from './webhook-ports.ts';
import { refusal, type WebhookUrlRefusal } from './webhook-url-refusal.ts';

export const MAX_WEBHOOK_URL_LENGTH = 2000;

/**
 * Why a webhook URL cannot be used, with the stable reason a client reads (`extensions.reason`),
 * or null when it can. Only http and https: anything
 * else (file:, javascript:, ftp:) has no business receiving POSTs. Credentials in the URL are
 * refused because URLs end up in logs and admin listings; receivers authenticate the gateway by
 * its signature instead.
 *
 * The host is read by the WHATWG URL parser — the one that will send the request — so every
 * spelling of an address (`0x7f000001`, `2130706433`, `0177.1`, `[::ffff:7f00:1]`) reaches the
 * address check already as the address it means. Names that reach inside whatever DNS says (cloud
 * metadata services, `.internal`, single-label names) are refused here; other names are resolved
 * and checked by `resolvedDestinationRefusal`, and again at every send. The port must be one the
 * policy allows (webhook-ports.ts), whatever the host. The sender calls this very
 * function before every send, so subscription and delivery refuse alike.
 */
export function webhookUrlRefusal(
  text: string,
  policy: WebhookDestinationPolicy = PUBLIC_DESTINATIONS_ONLY,
): WebhookUrlRefusal | null {
  if (text.length > MAX_WEBHOOK_URL_LENGTH)
    return refusal('too_long', `at most ${MAX_WEBHOOK_URL_LENGTH} characters (got ${text.length})`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refusal('invalid_url', `${JSON.stringify(text)} is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return refusal('destination_scheme', `must be an http or https URL, not ${url.protocol.slice(0, -1)}`);
  }
  if (url.username !== '' || url.password !== '')
    return refusal('destination_credentials', 'must not carry a user name or password');
  if (url.hash !== '') return refusal('destination_fragment', 'must not carry a fragment (#…): it is never sent');
  const portProblem = destinationPortProblem(url, policy.allowedPorts);
  return (
    hostRefusal(url.hostname, policy) ??
    (portProblem === null ? null : refusal('destination_port_not_allowed', portProblem))
  );
}

/** `webhookUrlRefusal`'s message alone: what the sender logs when it refuses a stored subscription. */
export function webhookUrlProblem(
  text: string,
  policy: WebhookDestinationPolicy = PUBLIC_DESTINATIONS_ONLY,
): string | null {
  return webhookUrlRefusal(text, policy)?.message ?? null;
}

/** The address of an IP-literal host (`[…]` stripped), or undefined for a name. */
export function literalAddress(hostname: string): string | undefined {
  if (hostname.startsWith('[') && hostname.endsWith(']')) return hostname.slice(1, -1);
  return /^\d+\.\d+\.\d+\.\d+$/.test(hostname) ? hostname : undefined;
}

function hostRefusal(host: string, policy: WebhookDestinationPolicy): WebhookUrlRefusal | null {
  // `localhost.` is `localhost`: a trailing dot only says the name is fully qualified.
  const hostname = host.replace(/\.+$/, '');
  if (isAllowedHost(hostname, policy)) return null;
  const address = literalAddress(hostname);
  if (address !== undefined) {
    const problem = destinationAddressProblem(address, policy);
    return problem === null ? null : refusal('destination_address_not_public', `host ${problem}`);
  }
  // RFC 6761: these names are the machine itself (loopback), whatever a resolver says.
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    const problem = destinationAddressProblem('127.0.0.1', policy);
    return problem === null
      ? null
      : refusal('destination_address_not_public', `host ${hostname} is this machine: ${problem}`);
  }
  const nameProblem = internalHostNameProblem(hostname);
  return nameProblem === null
    ? null
    : refusal(
        'destination_host_name_internal',
        `host ${nameProblem}; only public destinations are accepted unless WEBHOOK_ALLOWED_HOSTS names it`,
      );
}
