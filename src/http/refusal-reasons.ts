/** An error as it leaves in an answer's body: what a refusal's reason is read from. */
export interface AnsweredError {
  message?: unknown;
  extensions?: Record<string, unknown> | undefined;
}

/** What is known of an answer when its access-log entry is written. */
export interface RefusedAnswer {
  status: number;
  method: string;
  /** The parsed JSON body, when the request had one: an array is a batch. */
  body: unknown;
  errors: readonly AnsweredError[];
}

/*
 * Apollo Server refuses these HTTP requests with one code, BAD_REQUEST; its messages (from
 * @apollo/server's preventCsrf.js, runHttpQuery.js and requestPipeline.js) are what tells them
 * apart. test/gateway/every-refusal-recorded.test.ts sends each, so a new wording fails there.
 */
const CSRF_MESSAGE = 'This operation has been blocked as a potential Cross-Site Request Forgery';
const MISSING_QUERY_MESSAGES = [
  'POST body missing, invalid Content-Type, or JSON object has no keys.',
  'GraphQL operations must contain a non-empty `query`',
];

/**
 * The access log's `reason` for an answer no one recorded on its way (the access-log guard's):
 * the sharing rules of a FORBIDDEN (such as `untrusted-document`), the error's own `reason` when
 * it gives one (a refused purpose: `purpose_blank`, …), the identity platform being down, the
 * kind of HTTP request Apollo refused, a fault of the gateway, else `http_<status>`.
 */
export function unloggedAnswerReason(answer: RefusedAnswer): string {
  const first = answer.errors[0];
  const ownReason = first?.extensions?.['reason'];
  return (
    forbiddingRules(answer.errors) ??
    (typeof ownReason === 'string' ? ownReason : null) ??
    (first?.extensions?.['code'] === 'ISSUER_UNAVAILABLE' ? 'issuer_unavailable' : null) ??
    httpRefusalReason(answer) ??
    (answer.status >= 500 ? 'internal_error' : `http_${answer.status}`)
  );
}

/**
 * The kind of HTTP request refused before its document was executed — by method, media type,
 * shape or CSRF prevention (Apollo's BAD_REQUEST, 405, 406, 415) — or null for any other answer.
 * The access-log plugin gives it to the refusals Apollo's pipeline answers (a GET mutation, a
 * missing query); graphql-js's own refusals of a document stay without a reason, as before.
 */
export function httpRefusalReason(answer: RefusedAnswer): string | null {
  const { status } = answer;
  const first = answer.errors[0];
  if (first?.extensions?.['code'] !== 'BAD_REQUEST' && status !== 405 && status !== 406 && status !== 415) return null;
  if (status === 405) return answer.method === 'GET' ? 'mutation_over_get' : 'method_not_allowed';
  if (status === 406) return 'not_acceptable';
  if (status === 415) return 'unsupported_content_type';
  if (Array.isArray(answer.body)) return 'batched_request';
  const message = String(first?.message ?? '');
  if (message.startsWith(CSRF_MESSAGE)) return 'csrf_prevention';
  if (MISSING_QUERY_MESSAGES.some((missing) => message.startsWith(missing))) return 'missing_query';
  return 'malformed_request';
}

/**
 * The reason a request refused as a whole before it ran gives of itself (`control_character`,
 * `too_many_items`, … of the input-hygiene plugin), or null: an answer with data, or an error
 * without one. Without it such a refusal was recorded with no reason at all.
 */
export function ownRefusalReason(status: number, errors: readonly AnsweredError[]): string | null {
  const reason = status >= 400 ? errors[0]?.extensions?.['reason'] : undefined;
  return typeof reason === 'string' ? reason : null;
}

/** The sharing rules that refused something (`role`, `no-grant`, …), sorted, comma-separated. */
export function forbiddingRules(errors: readonly AnsweredError[]): string | null {
  const rules = new Set(
    errors
      .filter((error) => error.extensions?.['code'] === 'FORBIDDEN')
      .map((error) => String(error.extensions?.['rule'] ?? 'forbidden')),
  );
  return rules.size > 0 ? [...rules].sort().join(',') : null;
}
