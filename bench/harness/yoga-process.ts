/** Child process: the one-field schema on GraphQL Yoga over node:http, Yoga's defaults less logging and the IDE. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSchema, createYoga } from 'graphql-yoga';
import { CHECK_USCC_TYPE_DEFS, checkUsccResolvers } from './check-uscc-schema.ts';
import { announceReady, answerProbes } from './probe.ts';

const yoga = createYoga({
  schema: createSchema({ typeDefs: CHECK_USCC_TYPE_DEFS, resolvers: checkUsccResolvers }),
  graphqlEndpoint: '/graphql',
  graphiql: false,
  landingPage: false,
  logging: false,
});
const server = createServer(yoga);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
answerProbes(() => new Promise((resolve) => server.close(() => resolve())));
announceReady({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
