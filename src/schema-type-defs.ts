import { readFileSync, readdirSync } from 'node:fs';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { fileURLToPath } from 'node:url';

const schemaDirectory = fileURLToPath(new URL('../schema/', import.meta.url));
const modulesDirectory = fileURLToPath(new URL('./modules/', import.meta.url));

/** The SDL every module builds on: the scalars and the sharing directives (schema/). */
export function sharedTypeDefs(): string[] {
  return readGraphqlFiles(schemaDirectory);
}

/**
 * The shared SDL, then every feature module's `*.graphql`, in a stable order: the whole schema
 * with every module on.
 * Apart from schema.ts so that code reading the declarations (webhook receivers' rules) need not
 * import every resolver, and no import cycle forms.
 */
export function loadTypeDefs(): string[] {
  const modules = readdirSync(modulesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => readGraphqlFiles(`${modulesDirectory}${entry.name}/`));
  return [...sharedTypeDefs(), ...modules];
}

function readGraphqlFiles(directory: string): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(directory + file, 'utf8'));
}

let sdlSchema: GraphQLSchema | undefined;

/**
 * The SDL as a schema without resolvers, built once per process: for code that reads the
 * declarations (`@share`, `@reveals`) rather than executing. The SDL does not change while the
 * gateway runs, so the webhook receivers' rules, grant validation and the credit check share it.
 */
export function declarationSchema(): GraphQLSchema {
  sdlSchema ??= buildASTSchema(parse(loadTypeDefs().join('\n')));
  return sdlSchema;
}
