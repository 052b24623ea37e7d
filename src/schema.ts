import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers/index.ts';

const schemaDirectory = fileURLToPath(new URL('../schema/', import.meta.url));
const modulesDirectory = fileURLToPath(new URL('./modules/', import.meta.url));

/** The SDL files of schema/, then each feature module's schema.graphql, in a stable order. */
export function loadTypeDefs(): string[] {
  const modules = readdirSync(modulesDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(modulesDirectory + entry.name).includes('schema.graphql'))
    .map((entry) => `${modulesDirectory}${entry.name}/schema.graphql`)
    .sort();
  return [
    ...readdirSync(schemaDirectory)
      .filter((file) => file.endsWith('.graphql'))
      .sort()
      .map((file) => schemaDirectory + file),
    ...modules,
  ].map((path) => readFileSync(path, 'utf8'));
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
