import { expect } from 'vitest';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
    extensions?: { warnings?: Array<Record<string, unknown>> };
  };
}

/** Posts one GraphQL operation over real HTTP. */
export async function postGraphQL<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as GraphQLResponse<T>['body'],
  };
}

/** Fails with the whole response in view when the answer carries any error. */
export function expectNoGraphQLErrors<T>(response: GraphQLResponse<T>): T {
  expect(response.body.errors, JSON.stringify(response.body.errors, null, 2)).toBeUndefined();
  expect(response.status).toBe(200);
  return response.body.data as T;
}

/** The errors of a response, failing when there are none. */
export function expectGraphQLErrors<T>(response: GraphQLResponse<T>) {
  expect(response.body.errors, `expected errors, got ${JSON.stringify(response.body.data)}`).toBeDefined();
  return response.body.errors ?? [];
}

/** An answer as it came over HTTP: status, media type, Retry-After and the body's text, byte for byte. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  text: string;
}

/** Sends a request to /graphql (or a path under it) as given, for answers that are not a GraphQL result. */
export async function sendRaw(url: string, init: RequestInit & { path?: string } = {}): Promise<RawAnswer> {
  const { path = '/graphql', ...request } = init;
  const response = await fetch(`${url}${path}`, request);
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    retryAfter: response.headers.get('retry-after'),
    text: await response.text(),
  };
}

/** POSTs any JSON body to /graphql (a batch, a body missing its query, …) and keeps the answer raw. */
export function postRaw(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return sendRaw(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
