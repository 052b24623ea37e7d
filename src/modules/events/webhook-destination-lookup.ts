import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import {
  destinationAddressProblem,
  isAllowedHost,
  type WebhookDestinationPolicy,
} from './webhook-destination-policy.ts';
import { refusal, type WebhookUrlRefusal } from './webhook-url-refusal.ts';

/** Every address a host name resolves to (injectable, so tests can play a rebinding resolver). */
export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: ResolveHost = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** A webhook host resolved to an address the policy refuses; never worth retrying as it stands. */
export class DestinationRefusedError extends Error {
  readonly code = 'EWEBHOOKDESTINATION';
  constructor(message: string) {
    super(message);
    this.name = 'DestinationRefusedError';
  }
}

/**
 * The addresses of `hostname`, each checked against the policy. A name with any refused address
 * is refused as a whole: a name that mixes public and internal addresses is how DNS rebinding
 * reaches inside, whichever of them a connection would have picked.
 */
export async function checkedAddresses(
  hostname: string,
  policy: WebhookDestinationPolicy,
  resolve: ResolveHost,
): Promise<LookupAddress[]> {
  const addresses = await resolve(hostname);
  if (isAllowedHost(hostname, policy)) return addresses;
  for (const { address } of addresses) {
    const problem = destinationAddressProblem(address, policy);
    if (problem !== null) throw new DestinationRefusedError(`host ${hostname} resolves to ${problem}`);
  }
  return addresses;
}

/**
 * A `lookup` for net/tls.connect: the socket connects only to addresses checked here, in the same
 * resolution, so a name cannot pass a check and then resolve elsewhere for the connection.
 */
export function checkedLookup(policy: WebhookDestinationPolicy, resolve: ResolveHost): LookupFunction {
  return (hostname, options, callback) => {
    checkedAddresses(hostname.replace(/\.$/, ''), policy, resolve).then(
      (addresses) => {
        const wanted =
          options.family === 4 || options.family === 6
            ? addresses.filter((a) => a.family === options.family)
            : addresses;
        if (wanted.length === 0) {
          callback(
            Object.assign(new Error(`host ${hostname} has no address of the family asked for`), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        } else if (options.all) {
          callback(null, wanted);
        } else {
          callback(null, wanted[0]!.address, wanted[0]!.family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

/**
 * At subscription time: why a webhook URL's host name, where it points now, is refused, or null.
 * A name that does not resolve yet is accepted (a receiver not yet deployed); every send resolves
 * and checks it again.
 */
export async function resolvedDestinationRefusal(
  url: string,
  policy: WebhookDestinationPolicy,
  resolve: ResolveHost,
): Promise<WebhookUrlRefusal | null> {
  const hostname = new URL(url).hostname;
  if (hostname.startsWith('[') || /^\d+\.\d+\.\d+\.\d+$/.test(hostname)) return null;
  try {
    await checkedAddresses(hostname.replace(/\.$/, ''), policy, resolve);
    return null;
  } catch (error) {
    return error instanceof DestinationRefusedError ? refusal('destination_address_not_public', error.message) : null;
  }
}
