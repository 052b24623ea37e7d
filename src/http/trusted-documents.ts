import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse, print, visit } from 'graphql';
import type { DocumentNode } from 'graphql';
import type { Request, RequestHandler } from 'express';

/** Written by `npm run generate:web` (graphql-codegen's client preset): every console operation by hash. */
export const CONSOLE_DOCUMENTS_MANIFEST = fileURLToPath(
  new URL('../../web/src/gql/persisted-documents.json', import.meta.url),
);

/**
 * One canonical text per document, so the console's request matches its committed operation
 * whatever the client did to it: Apollo Client adds `__typename` to every selection (harmless: it
 * reads no data) and may order fragments differently; formatting, comments and the order of
 * fields in a selection never count.
 */
export function canonicalDocument(document: DocumentNode): string {
  const canonical = visit(document, {
    Field: (field) => (field.name.value === '__typename' && !field.alias ? null : undefined),
    // The client preset's manifest lists selections and variables sorted; their order asks for nothing.
    OperationDefinition: {
      leave: (operation) => ({
        ...operation,
        variableDefinitions: [...(operation.variableDefinitions ?? [])].sort((a, b) =>
          a.variable.name.value.localeCompare(b.variable.name.value),
        ),
      }),
    },
    SelectionSet: {
      leave: (set) => ({ ...set, selections: [...set.selections].sort((a, b) => print(a).localeCompare(print(b))) }),
    },
  });
  return canonical.definitions
    .map((definition) => print(definition))
    .sort()
    .join('\n');
}

/** The console's committed operations, canonical; a missing manifest stops the start with what to run. */
export function loadTrustedDocuments(manifestPath: string = CONSOLE_DOCUMENTS_MANIFEST): ReadonlySet<string> {
  let manifest: Record<string, string>;
  try {
    manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new Error(
      `TRUSTED_DOCUMENTS=console needs the console's operation manifest at ${manifestPath} (npm run generate:web writes it): ${String(error)}`,
      { cause: error },
    );
  }
  return new Set(Object.values(manifest).map((text) => canonicalDocument(parse(text))));
}

/**
 * Browsers announce themselves: Origin on every POST, Sec-Fetch-Site on every request to an HTTPS
 * or local origin. Agency systems and scripts send neither (Node's fetch sends Sec-Fetch-Mode, so
 * that one is not a sign) and keep sending any query the sharing rules allow. Not covered: a
 * same-origin GET over plain HTTP to a non-local host, which carries neither; serve over HTTPS.
 */
export function fromBrowser(req: Request): boolean {
  return req.get('origin') !== undefined || req.get('sec-fetch-site') !== undefined;
}

/**
 * With TRUSTED_DOCUMENTS=console a browser may send only the console's committed operations: a
 * page script or a pasted query cannot use someone's signed-in session for anything else. Other
 * documents get 403 `FORBIDDEN`, rule `untrusted-document`. Mount after the JSON body parser.
 */
export function trustedDocumentsMiddleware(trusted: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    if (!fromBrowser(req)) {
      next();
      return;
    }
    const body = req.body as Record<string, unknown> | undefined;
    const query =
      typeof body?.query === 'string' ? body.query : typeof req.query.query === 'string' ? req.query.query : undefined;
    if (query === undefined) {
      next();
      return;
    }
    let canonical: string;
    try {
      canonical = canonicalDocument(parse(query));
    } catch {
      next(); // Apollo answers a syntax error with its own 400.
      return;
    }
    if (trusted.has(canonical)) {
      next();
      return;
    }
    res.status(403).json({
      errors: [
        {
          message:
            'Only the console’s committed operations may be sent from a browser on this gateway (TRUSTED_DOCUMENTS=console).',
          extensions: { code: 'FORBIDDEN', rule: 'untrusted-document' },
        },
      ],
    });
  };
}
