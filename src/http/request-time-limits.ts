/**
 * How long a client may take to send a request, the gateway's rather than Node's defaults (headers
 * 60 s, the whole request 300 s, checked every 30 s): with those, a client trickling one byte of its
 * body every few seconds held a connection and its socket for five minutes, so a few thousand such
 * connections (slowloris) held the gateway. A request's headers fit one packet and its body at most
 * 256 KB, which 30 s carry at under 9 KB/s. Node stops timing a request once it has arrived, so a
 * slow answer (an agency taking its time) is not cut by these.
 */
export const REQUEST_TIME_LIMITS = {
  /** The request line and headers (408 `REQUEST_TIMEOUT` in the gateway's format past it). */
  headersTimeout: 15_000,
  /** The whole request, body included (Node's bare 408 past it, a response being already under way). */
  requestTimeout: 30_000,
  /** How often Node looks for requests past these limits; a request is cut at most this much late. */
  connectionsCheckingInterval: 1_000,
} as const;
