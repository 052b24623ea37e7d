import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { createGraphqlIdeRouter } from '../../src/http/graphql-ide.ts';
import type { GraphqlIdeOptions } from '../../src/http/graphql-ide.ts';

interface DemoContext {
  caller: string;
}

/** A real Express 5 + Apollo Server 5 app wired the way server.ts is: IDE router first. */
export interface RunningIdeApp {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startIdeTestApp(ideOptions: GraphqlIdeOptions): Promise<RunningIdeApp> {
  const apollo = new ApolloServer<DemoContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: (_parent: unknown, _args: unknown, ctx: DemoContext) => `你好, ${ctx.caller}` } },
    plugins: [ApolloServerPluginLandingPageDisabled()],
  });
  await apollo.start();

  const app = express();
  app.use(createGraphqlIdeRouter(ideOptions));
  app.use(
    '/graphql',
    express.json(),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({ caller: req.get('x-demo-caller') ?? 'anonymous' }),
    }),
  );

  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await apollo.stop();
    },
  };
}
