/**
 * Every `extensions.code` the API can answer with, the HTTP status it comes with, and what a
 * client should do. One list, so the error masker lets exactly these through (anything else is
 * an internal fault shown as INTERNAL_SERVER_ERROR), the README's table is this table, and a
 * test fails when the code raises a code that is not here.
 */
export interface ErrorCodeEntry {
  /** The HTTP status of an answer whose errors all carry this code. */
  status: number;
  meaning: string;
  /** Worth retrying unchanged, after `Retry-After` where given. */
  retry: boolean;
}

export const ERROR_CODES = {
  BAD_REQUEST: {
    status: 400,
    retry: false,
    meaning:
      'The HTTP request is not a GraphQL request (no query, bad JSON); a POST not sent as UTF-8 JSON (another `Content-Type` or none, another charset, an unsupported `Content-Encoding`) is answered 415 with this code, a request whose `Accept` admits no JSON answer 406 with `reason: not_acceptable` (before its operation runs), and a method a path does not serve 405 with `Allow` and `reason: method_not_allowed` (on /graphql after the token is checked, so without one it is 401).',
  },
  GRAPHQL_PARSE_FAILED: { status: 400, retry: false, meaning: 'The document is not valid GraphQL syntax.' },
  GRAPHQL_VALIDATION_FAILED: {
    status: 400,
    retry: false,
    meaning:
      'The document does not fit the schema, or breaks a query limit (depth, aliases, cost, tokens); a switched-off module’s fields fail here too.',
  },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    retry: false,
    meaning: 'The document holds several operations and operationName names none of them.',
  },
  PERSISTED_QUERY_NOT_FOUND: {
    status: 200,
    retry: false,
    meaning:
      'Automatic persisted queries are not used by this gateway (it answers PERSISTED_QUERY_NOT_SUPPORTED); listed because Apollo, which answers both with 200, could.',
  },
  PERSISTED_QUERY_NOT_SUPPORTED: {
    status: 200,
    retry: false,
    meaning:
      'Automatic persisted queries are not used by this gateway: a request naming its document by hash runs nothing. 200, as Apollo answers it, so that a client which tried the hash sends the whole document next.',
  },
  BAD_USER_INPUT: {
    status: 400,
    retry: false,
    meaning:
      'An argument cannot be right: an identifier failing its check (`problem`), a page size (`argument: first`, `reason: page_size`), a cursor not returned by that list or edited (`argument: after`, `reason: invalid_cursor`), a purpose, a transfer’s receiver (`reason`), a string argument longer than it may be (over 4000 characters, a record number over 64, a revocation reason over 1000: `reason: too_long`, `length`, `limit`), a list argument of over 500 items (`reason: too_many_items`), an authority not on the reference list (`reason: unknown_authority`), a webhook URL an event subscription cannot use (`argument: webhookUrl`, `reason`: `destination_scheme` not http or https, `destination_credentials` a user name or password in it, `destination_fragment` a `#…`, `destination_address_not_public` an address, or a name resolving to one, that is not public and WEBHOOK_ALLOWED_CIDRS does not permit, `destination_host_name_internal` a name only an internal resolver answers that WEBHOOK_ALLOWED_HOSTS does not name, `destination_port_not_allowed` a port outside WEBHOOK_ALLOWED_PORTS, `invalid_url`, `too_long` over 2000 characters; `problems` lists every fault of the input); the message names it. 400 when the request is refused before it runs (its variables, its purpose); an argument refused while the query runs is a field error, answered 200 as every field error is, with `data` as far as it could be given.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    retry: false,
    meaning:
      'The request body is over its route’s limit, which the message names (256 KB on /graphql, 1 KB on /console/demo-token); refused before it is read when its declared length says so.',
  },
  PRECONDITION_FAILED: {
    status: 412,
    retry: false,
    meaning:
      'A console or IDE file asked for with a precondition that does not hold (`If-Match`, `If-Unmodified-Since`).',
  },
  RANGE_NOT_SATISFIABLE: {
    status: 416,
    retry: false,
    meaning:
      'A console or IDE file asked for with a `Range` beyond its end; `Content-Range` gives the file’s size (`bytes */<size>`).',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    retry: false,
    meaning:
      'The request line and headers are over Node’s limit (16 KB unless `--max-http-header-size` says otherwise); refused before the request is read, on any path. Send a shorter token or fewer headers.',
  },
  MALFORMED_HTTP: {
    status: 400,
    retry: false,
    meaning:
      'The bytes sent are not an HTTP/1.1 request Node can parse (a bad method or request line, an invalid header, also between requests on a kept-alive connection); refused before a request is read, on any path, and the connection closed. Chunk extensions over 16 KB are answered 413 with this code. An `Expect` header other than `100-continue` is answered 417 with this code and `reason: expectation_failed`, an HTTP/1.1 request without a `Host` header 400 with `reason: missing_host`. Bad bytes inside a request already being answered (a broken chunked body) get Node’s own bare 400.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    retry: true,
    meaning:
      'The request’s headers did not arrive within 15 s (`headersTimeout`); the connection is closed. A request whose body has not all arrived 30 s after it began (`requestTimeout`) gets Node’s own bare 408, as a response is then already under way.',
  },
  UNAUTHENTICATED: {
    status: 401,
    retry: false,
    meaning:
      'No bearer token, or one that fails verification; `reason` says why (expired, bad_signature, unknown_issuer, unsupported_header, token_revoked, …).',
  },
  FORBIDDEN: {
    status: 200,
    retry: false,
    meaning:
      'A field or operation refused by the sharing rules; `rule` names the rule (see the next table) and `field` the coordinate. The rest of the answer stands. Answered 403 instead: a mutation refused before it runs (rule `mutation-all-or-nothing`, no `data`), schema introspection refused (rule `introspection`, outside the demo), a browser’s document refused under TRUSTED_DOCUMENTS=console (rule `untrusted-document`), and a console file path that climbs out of the console’s folder.',
  },
  NOT_FOUND: {
    status: 200,
    retry: false,
    meaning:
      'The id names nothing this caller may see (an unknown transfer and one the caller is no party to answer alike). A path the gateway serves nothing at is answered 404 with this code and `reason: unknown_path`.',
  },
  CONFLICT: {
    status: 200,
    retry: false,
    meaning: 'An idempotency key was reused with a different request, or the record changed meanwhile.',
  },
  ILLEGAL_TRANSITION: {
    status: 200,
    retry: false,
    meaning: 'A transfer step the state machine does not allow from the current state.',
  },
  RATE_LIMITED: {
    status: 429,
    retry: true,
    meaning: 'Over the caller’s requests per minute, or the address’s failed authentications; wait `Retry-After`.',
  },
  UPSTREAM_UNAVAILABLE: {
    status: 200,
    retry: true,
    meaning:
      'An agency system could not be reached, answered 5xx, 408 or 429 (`reason: http_429`), or its breaker is open; or the gateway was short of its own file descriptors or ports (`reason: gateway_out_of_resources`, not counted against the system). Its fields are null and `system` names it.',
  },
  UPSTREAM_TIMEOUT: {
    status: 200,
    retry: true,
    meaning: 'An agency system did not answer in time; its fields are null and `system` names it.',
  },
  UPSTREAM_BAD_RESPONSE: {
    status: 200,
    retry: false,
    meaning:
      'An agency system answered something unusable (`reason`: a 4xx but 408 and 429, a body it cannot read); its fields are null.',
  },
  SERVICE_UNAVAILABLE: {
    status: 200,
    retry: true,
    meaning: 'A part of the gateway the field needs is not running yet (the loop index before its first sync).',
  },
  STORE_UNAVAILABLE: {
    status: 503,
    retry: true,
    meaning:
      'The gateway’s own database cannot be reached or stopped answering, or answers but cannot serve the gateway (read-only, its credentials refused, a database, table or column the migrations made missing), or the revoked tokens could not be reloaded from it for five `AUTH_REVOCATION_REFRESH_MS` running (at least 10 s; a request with a revocable token); nothing was answered — a refusal neither, since its access-log entry cannot be written. Retry after `Retry-After`.',
  },
  ACCESS_LOG_UNAVAILABLE: {
    status: 503,
    retry: true,
    meaning:
      'The access log cannot be written while the store answers, so nothing is answered, a refusal included (fail closed). Retry after `Retry-After`.',
  },
  ISSUER_UNAVAILABLE: {
    status: 503,
    retry: true,
    meaning:
      'The identity platform’s keys cannot be fetched to verify a token of a key not yet known; the token may be good. Retry after `Retry-After` (5 s).',
  },
  INTERNAL_SERVER_ERROR: {
    status: 500,
    retry: false,
    meaning: 'A fault of the gateway itself; the message says nothing more, the log holds the detail.',
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Why a field or operation was FORBIDDEN (`extensions.rule`). */
export const FORBIDDEN_RULES = {
  'purpose-required': 'A conditional field needs a matter (事项/案号) in `x-purpose` covered by a grant.',
  'no-grant': 'No grant covers this field for this caller, matter and role (or it is personal and shown only masked).',
  'not-shared': 'The owning agency does not share this field (不予共享).',
  role: 'The operation needs a role the token does not carry.',
  undeclared: 'The field has no sharing declaration, so it is never shown.',
  'nothing-readable':
    'The field returns records of which the caller may read no field at all, so it is refused whether or not such a record exists (`clue(id:)` tells no one without a clue field whether the clue is there). To a caller who stated no purpose where one could open such a field, the refusal is `purpose-required` instead.',
  'not-a-party': 'Only the sender or receiver of a transfer may do this.',
  'receiver-only': 'Only a transfer’s receiver reports its steps; the sender reads them.',
  'authentication-required':
    'Clue transfers need authentication (`AUTH_REQUIRED=true`): their parties are known only from tokens.',
  'not-the-owner':
    'Only the owning authority may answer this sharing request, and an agency’s administrator grants and revokes only its own system’s data.',
  'beyond-jurisdiction':
    'An agency’s administrator grants its system’s data only to consumers within its own jurisdiction: a grant has no place of its own, so the consumer would read the records of its wider one. For the same reason one whose jurisdiction does not cover the served area (a township team) grants only fields of records answered within the consumer’s jurisdiction (clues, cases, inspections), never a penalty’s execution. Nor is such a caller told the loop index’s county-wide count of inspections, clues or cases (`LoopFeedFreshness.records`), which moves with every such record anywhere.',
  'other-authority':
    'An agency’s administrator subscribes, reads and replays only its own authority’s events; the gateway’s operator (an authority owning no system) acts for any.',
  'not-the-operator':
    'Only administrators of the gateway’s operator revoke other callers’ tokens (`revokeToken`): a `jti` does not say whose token it is. Anyone signs out with `revokeOwnToken`.',
  'mutation-all-or-nothing': 'A mutation with any refused part does not run at all (HTTP 403).',
  introspection: 'Schema introspection is off for this caller.',
  'untrusted-document':
    'With TRUSTED_DOCUMENTS=console a browser may send only the console’s committed operations (HTTP 403).',
} as const;

/** Notices in `extensions.warnings` of an answer that stands: each says what the answer lacks. */
export const WARNING_CODES = {
  UPSTREAM_RECORD_DROPPED:
    'An agency record could not be read (an unknown code, a malformed date) and is left out; `system`, `resource`, `id` and `field` name it, as far as the caller may know them.',
  UPSTREAM_SOURCE_UNAVAILABLE:
    'One of several sources of a system (a provincial 双随机 platform beside the county’s supervision system) could not be read: the answer carries the other sources’ records only; `system`, `source` (its id), `resource` and `reason` (the error code) name it, and `Timeline.unavailableSystems` lists it with its `source`.',
  CALENDAR_NOT_COVERED:
    'Working days were counted beyond the holiday calendar (weekends and fixed holidays only); such figures carry calendarCovered: false and may move once the year’s notice is added.',
  OWNER_STANDING_UNAVAILABLE:
    'The area the gateway serves is not known (SERVED_JURISDICTION unset and the enforcement system’s reference data never loaded), so nobody reads as a system’s own authority, nor under a grant to its kind: such fields are decided as for any other consumer. Given to every authenticated caller while it lasts, whatever it asked, so that it says nothing of any record. Recovers by itself once the reference data loads.',
  FEEDS_BEHIND:
    'A copy of agency feeds the gateway keeps in its store (`copy`: `loop index` or `subject registry`) could not follow some of them at its last sync (`feeds`: each `feed`, the error code as `reason`, and `syncedAt`, when a page of it was last stored): what is computed from it (loop breaks, a subject’s loop, assessment figures; a search of subjects, and a subject’s name and township when the registry answered them) is as of then, and may miss or still show what those agencies changed since. Given to every caller of those fields alike; recovers by itself once the feeds sync.',
  INSPECTION_NOT_CHECKED:
    'A clue was transferred although the supervision system could not check the inspection it names (`inspectionId`; `reason` is the error code): it may not exist or be about another subject.',
} as const;

/** Codes whose messages were written for clients: passed through as they are. */
export const CLIENT_SAFE_CODES: ReadonlySet<string> = new Set(
  Object.keys(ERROR_CODES).filter((code) => code !== 'INTERNAL_SERVER_ERROR'),
);
