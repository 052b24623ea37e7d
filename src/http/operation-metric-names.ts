import { readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { CONSOLE_DOCUMENTS_MANIFEST } from './trusted-documents.ts';

/** The label of every named operation outside the known set. */
export const OTHER_OPERATION = 'other';

/**
 * The operation names the GraphQL metrics label by name: the web console's committed operations
 * and those an operator lists (METRICS_OPERATION_NAMES, for the agencies' own scripts). An
 * operation name is chosen by the client, so labelling by whatever arrives would let any caller
 * grow the metrics registry (and every scrape) without bound; every other name counts as `other`.
 * A missing manifest (`npm run generate:web` not run) only leaves the console's names out.
 */
export function metricOperationNames(
  extra: readonly string[] = [],
  manifestPath: string = CONSOLE_DOCUMENTS_MANIFEST,
): ReadonlySet<string> {
  return new Set([...consoleOperationNames(manifestPath), ...extra]);
}

function consoleOperationNames(manifestPath: string): string[] {
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
  } catch {
    return [];
  }
  return Object.values(manifest).flatMap((text) =>
    parse(text).definitions.flatMap((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION && definition.name ? [definition.name.value] : [],
    ),
  );
}
