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
