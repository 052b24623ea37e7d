import type { ApolloError } from '@apollo/client';

/** A refused mutation in one line: its code, its reason and the gateway's message. */
export function mutationErrorText(error: unknown): string {
  const apollo = error as Partial<ApolloError>;
  const first = apollo.graphQLErrors?.[0];
  if (first) {
    const extensions = (first.extensions ?? {}) as Record<string, unknown>;
    const tags = [extensions.code, extensions.reason, extensions.rule].filter((part) => typeof part === 'string');
    return `${tags.join(' · ')}: ${first.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * One key per intended action: kept while the user retries the same submission (so a lost answer
 * cannot send twice), replaced once it succeeded.
 */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
