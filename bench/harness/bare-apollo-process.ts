/**
 * Child process: bare Apollo, the gateway's own stack (Express 5, `express.json`, Apollo Server 5
 * through @as-integrations/express5) with the one-field schema and none of the gateway's code.
 * Apollo's defaults as a new project would have them: what the gateway's fixed cost is measured against.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { CHECK_USCC_TYPE_DEFS, checkUsccResolvers } from './check-uscc-schema.ts';
import { announceReady, answerProbes } from './probe.ts';

const app = express();
const httpServer = createServer(app);
const apollo = new ApolloServer({
  typeDefs: CHECK_USCC_TYPE_DEFS,
  resolvers: checkUsccResolvers,
  plugins: [ApolloServerPluginDrainHttpServer({ httpServer })],
});
await apollo.start();
app.use('/graphql', express.json(), expressMiddleware(apollo));
await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
answerProbes(() => apollo.stop());
announceReady({ url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}` });
