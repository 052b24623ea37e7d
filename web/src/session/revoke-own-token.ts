import { print } from 'graphql';
import { SignOutDocument } from '../gql/graphql.ts';
import type { SignOutMutation } from '../gql/graphql.ts';

/** What the person is told when signing out did not end the token at the gateway. */
export interface SignOutNotice {
  kind: 'signOutNotRevoked' | 'signOutNotRevocable';
  /** The gateway's or the network's words, when there are any. */
  detail: string | null;
  /** Until when the token stays usable, when the gateway said. */
  expiresAt: string | null;
}

/** Long enough for a gateway under load; a person clicking "Sign out" is not kept waiting longer. */
const REVOCATION_TIMEOUT_MS = 5000;

/**
 * Asks the gateway to refuse `token` from now on (revokeOwnToken), so that a copy of it left in a
 * log, a proxy or another tab is useless. Never throws: null once the token is revoked, else what
 * to tell the person, who is signed out of the page either way.
 */
export async function revokeOwnToken(token: string): Promise<SignOutNotice | null> {
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(SignOutDocument), operationName: 'SignOut' }),
      signal: AbortSignal.timeout(REVOCATION_TIMEOUT_MS),
    });
    const body = (await response.json()) as {
      data?: SignOutMutation | null;
      errors?: { message: string; extensions?: { reason?: unknown } }[];
    };
    const result = body.data?.revokeOwnToken;
    if (result?.outcome === 'NOT_REVOCABLE')
      return { kind: 'signOutNotRevocable', detail: null, expiresAt: result.expiresAt };
    if (result) return null;
    // Already refused (revoked elsewhere, expired): nothing is left to end.
    if (response.status === 401) return null;
    return {
      kind: 'signOutNotRevoked',
      detail: body.errors?.[0]?.message ?? `HTTP ${response.status}`,
      expiresAt: null,
    };
  } catch (error) {
    return {
      kind: 'signOutNotRevoked',
      detail: error instanceof Error ? error.message : String(error),
      expiresAt: null,
    };
  }
}
