import proxyAddr from 'proxy-addr';

/** The names proxy-addr (Express's `trust proxy`) gives address ranges. */
const RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY read: the reverse proxies in front of the gateway whose `X-Forwarded-For` it
 * believes, as addresses, CIDR ranges (`10.0.0.0/8`) or proxy-addr's range names, comma-separated.
 * Empty (the default): none, so the client address is always the socket's. Behind a proxy that
 * would make every client one address: the failed-authentication limit would shut all of them
 * out together, and the access log would name the proxy instead of the client.
 *
 * "Every hop" (`true`, `*`) and hop counts are refused: the header's earlier entries are
 * whatever the client wrote, so trusting hops instead of named proxies would let any client
 * choose the address it is limited and logged under. Throws, naming the entry, on anything
 * proxy-addr does not read as an address or a range.
 */
export function parseTrustedProxies(setting: string): string[] {
  const entries = setting
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    if (entry === 'true' || entry === '*' || /^\d+$/.test(entry))
      throw new Error(
        `TRUST_PROXY: "${entry}" would trust every hop or a count of hops, and let any client forge its address; name the proxies' addresses or ranges (e.g. 10.0.0.0/8, ${RANGE_NAMES.join(', ')})`,
      );
    try {
      proxyAddr.compile(entry);
    } catch (error) {
      throw new Error(
        `TRUST_PROXY: "${entry}" is not an IP address, a CIDR range or one of ${RANGE_NAMES.join(', ')} (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
  return entries;
}
