import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { configProblems } from '../../platform/config-problems.ts';
import { portListSetting, type PortRange } from '../../platform/env-values.ts';
import { DEFAULT_WEBHOOK_PORTS } from './webhook-ports.ts';

/**
 * Where webhooks may go: receivers inside the network that an operator permits explicitly
 * (WEBHOOK_ALLOWED_CIDRS, WEBHOOK_ALLOWED_HOSTS), and the ports any receiver may listen on
 * (WEBHOOK_ALLOWED_PORTS).
 */
export interface WebhookDestinationPolicy {
  /** Address ranges permitted whatever their kind, e.g. an agency's internal network `10.12.0.0/16`. */
  allowedCidrs: readonly string[];
  /** Host names (lower case, exact) permitted whatever they resolve to. */
  allowedHosts: readonly string[];
  /**
   * The ports a webhook URL may name, whatever its host: a permitted internal range or host is
   * held to them too, since its other services (a database, SSH) are what a port rule protects.
   */
  allowedPorts: readonly PortRange[];
}

/** The default: only globally routable unicast addresses, on the HTTP(S) ports. */
export const PUBLIC_DESTINATIONS_ONLY: WebhookDestinationPolicy = {
  allowedCidrs: [],
  allowedHosts: [],
  allowedPorts: DEFAULT_WEBHOOK_PORTS,
};

/**
 * What is wrong with sending to `address` (an IP address in any form ipaddr.js reads), or null.
 * Everything that is not global unicast is refused — loopback, private, link-local, unique-local,
 * carrier-grade NAT, multicast, broadcast, unspecified, documentation, 6to4, Teredo, NAT64 — since
 * a subscription is a standing request made from inside the network. IPv4-mapped and
 * IPv4-compatible IPv6 addresses are judged as the IPv4 address they carry.
 */
export function destinationAddressProblem(address: string, policy: WebhookDestinationPolicy): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.parse(address);
  } catch {
    return `${JSON.stringify(address)} is not an IP address`;
  }
  const judged = embeddedIpv4(parsed) ?? parsed;
  if (policy.allowedCidrs.some((cidr) => inCidr(judged, cidr) || inCidr(parsed, cidr))) return null;
  const range = judged.range();
  if (range === 'unicast') return null;
  return `${address} is a ${describeRange(range)} address; only public addresses are accepted unless WEBHOOK_ALLOWED_CIDRS permits it`;
}

/** Whether an operator permitted this host name explicitly. */
export function isAllowedHost(hostname: string, policy: WebhookDestinationPolicy): boolean {
  return policy.allowedHosts.includes(hostname.toLowerCase());
}

/** `::ffff:127.0.0.1` and the deprecated `::127.0.0.1` reach IPv4 hosts; judge them as such. */
function embeddedIpv4(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | undefined {
  if (address.kind() !== 'ipv6') return undefined;
  const v6 = address as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address();
  const parts = v6.parts;
  // ::/96 minus :: and ::1, which keep their own meaning.
  const [high = 0, low = 0] = parts.slice(6);
  if (parts.slice(0, 6).every((part) => part === 0) && (high !== 0 || low > 1)) {
    return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  return undefined;
}

function inCidr(address: ipaddr.IPv4 | ipaddr.IPv6, cidr: string): boolean {
  const [network, bits] = ipaddr.parseCIDR(cidr);
  if (address instanceof ipaddr.IPv4 && network instanceof ipaddr.IPv4) return address.match(network, bits);
  if (address instanceof ipaddr.IPv6 && network instanceof ipaddr.IPv6) return address.match(network, bits);
  return false;
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private (RFC 1918)',
    linkLocal: 'link-local',
    uniqueLocal: 'unique-local',
    multicast: 'multicast',
    unspecified: 'unspecified',
    broadcast: 'broadcast',
    carrierGradeNat: 'carrier-grade NAT',
  };
  return names[range] ?? `special-purpose (${range})`;
}

const portSettings = z.object({ WEBHOOK_ALLOWED_PORTS: portListSetting.optional() });

/**
 * Reads WEBHOOK_ALLOWED_CIDRS, WEBHOOK_ALLOWED_HOSTS and WEBHOOK_ALLOWED_PORTS (comma-separated);
 * returns the problems found instead when any is malformed.
 */
export function readWebhookDestinationPolicy(env: NodeJS.ProcessEnv): {
  policy: WebhookDestinationPolicy;
  problems: string[];
} {
  const problems: string[] = [];
  const allowedCidrs = list(env['WEBHOOK_ALLOWED_CIDRS']).filter((cidr) => {
    if (ipaddr.isValidCIDR(cidr)) return true;
    problems.push(
      `  WEBHOOK_ALLOWED_CIDRS: ${JSON.stringify(cidr)} is not a CIDR range such as 10.12.0.0/16 or fd00::/8`,
    );
    return false;
  });
  const allowedHosts = list(env['WEBHOOK_ALLOWED_HOSTS']).map((host) => host.toLowerCase());
  for (const host of allowedHosts) {
    if (!/^[a-z0-9.-]+$/.test(host))
      problems.push(`  WEBHOOK_ALLOWED_HOSTS: ${JSON.stringify(host)} is not a host name`);
  }
  const ports = portSettings.safeParse(env);
  if (!ports.success) problems.push(...configProblems(ports.error.issues, env));
  const allowedPorts = (ports.success && ports.data.WEBHOOK_ALLOWED_PORTS) || DEFAULT_WEBHOOK_PORTS;
  return { policy: { allowedCidrs, allowedHosts, allowedPorts }, problems };
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
