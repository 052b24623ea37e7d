import { readFileSync, readdirSync } from 'node:fs';
import { buildASTSchema, parse, type GraphQLSchema } from 'graphql';
import { fileURLToPath } from 'node:url';

const schemaDirectory = fileURLToPath(new URL('../schema/', import.meta.url));
const modulesDirectory = fileURLToPath(new URL('./modules/', import.meta.url));

/**
 * The shared SDL of schema/ (directives, scalars), then each feature module's `*.graphql`, in a
 * stable order.
 * Apart from schema.ts so that code reading the declarations (webhook receivers' rules) need not
 * import every resolver, and no import cycle forms.
 */
export function loadTypeDefs(): string[] {
  const shared = readdirSync(schemaDirectory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => schemaDirectory + file);
  const modules = readdirSync(modulesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((entry) =>
      readdirSync(`${modulesDirectory}${entry.name}`)
        .filter((file) => file.endsWith('.graphql'))
        .map((file) => `${modulesDirectory}${entry.name}/${file}`),
    )
    .sort();
  return [...shared, ...modules].map((path) => readFileSync(path, 'utf8'));
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
