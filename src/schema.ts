import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { ModuleSchema } from './platform/gateway-module.ts';
import { allModuleSchemas, scalarResolvers } from './resolvers/index.ts';
import { sharedTypeDefs } from './schema-type-defs.ts';

export { loadTypeDefs } from './schema-type-defs.ts';

/** The executable schema of the modules given (by default all of them): a module left out has no field in it. */
export function buildSchema(modules: readonly ModuleSchema[] = allModuleSchemas): GraphQLSchema {
  return makeExecutableSchema({
    typeDefs: [...sharedTypeDefs(), ...modules.flatMap((module) => module.typeDefs)],
    resolvers: [scalarResolvers, ...modules.map((module) => module.resolvers)],
  });
}
