/**
 * Why a webhook URL is refused, as a client reads it (`extensions.reason` of the BAD_USER_INPUT
 * answer to `createEventSubscription`, with `argument: webhookUrl`). Stable: clients and the error
 * catalogue name them. The message beside it says the same for a person, with the detail
 * (the port, the kind of address, the setting that would permit it).
 */
export const WEBHOOK_URL_REFUSAL_REASONS = [
  /** Longer than MAX_WEBHOOK_URL_LENGTH. */
  'too_long',
  /** Not an absolute URL. */
  'invalid_url',
  /** Not http or https. */
  'destination_scheme',
  /** A user name or password in the URL, which would end up in logs and listings. */
  'destination_credentials',
  /** A fragment (`#…`), which is never sent. */
  'destination_fragment',
  /** Its host is, names or resolves to an address that is not public (loopback, private, link-local…) and WEBHOOK_ALLOWED_CIDRS does not permit. */
  'destination_address_not_public',
  /** Its host is a name only an internal resolver answers (a metadata service, `.internal`, a single label) and WEBHOOK_ALLOWED_HOSTS does not name. */
  'destination_host_name_internal',
  /** Its port is not in WEBHOOK_ALLOWED_PORTS. */
  'destination_port_not_allowed',
] as const;

export type WebhookUrlRefusalReason = (typeof WEBHOOK_URL_REFUSAL_REASONS)[number];

export interface WebhookUrlRefusal {
  reason: WebhookUrlRefusalReason;
  /** For a person: what is wrong, and what would permit it. */
  message: string;
}

export function refusal(reason: WebhookUrlRefusalReason, message: string): WebhookUrlRefusal {
  return { reason, message };
}
