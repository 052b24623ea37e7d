/**
 * One server for `load.mjs`: node:http alone, Express 5, or Apollo Server 5 on Express (with the
 * gateway executor and/or a context closing over the request: `apollo-gw`, `apollo-ctx`), optionally
 * with requests born with Express's prototypes (src/http/express-born-messages.ts does the same).
 * It reports how many bytes V8's scavenges copied while the load ran.
 */
import http from 'node:http';
import { GCProfiler } from 'node:v8';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { execute } from 'graphql';

const [mode, born] = (process.argv[2] ?? 'http').split(':');
const answer = JSON.stringify({ data: { x: 1 } });

async function handlerFor(name) {
  if (name === 'http')
    return (req, res) => {
      req.resume();
      req.on('end', () => res.setHeader('content-type', 'application/json').end(answer));
    };
  const app = express();
  if (name === 'express') app.post('/graphql', express.json(), (req, res) => res.json({ data: { x: 1 } }));
  if (name.startsWith('apollo')) {
    const typeDefs = 'type Query { x: Int }';
    const resolvers = { Query: { x: () => 1 } };
    const schema = makeExecutableSchema({ typeDefs, resolvers });
    const gateway = {
      onSchemaLoadOrUpdate(callback) {
        callback({ apiSchema: schema, coreSupergraphSdl: '' });
        return () => {};
      },
      async load() {
        return {
          executor: (request) =>
            execute({
              schema,
              document: request.document,
              contextValue: request.context,
              variableValues: request.request.variables,
            }),
        };
      },
      async stop() {},
    };
    const apollo = new ApolloServer(name.includes('gw') ? { gateway } : { typeDefs, resolvers });
    await apollo.start();
    const context = name.includes('ctx')
      ? async ({ req }) => {
          const parts = { logger: () => req.headers, loaders: () => [req.url] };
          return { parts };
        }
      : undefined;
    app.use('/graphql', express.json(), expressMiddleware(apollo, context ? { context } : undefined));
  }
  return app;
}

const handler = await handlerFor(mode);
let options = {};
if (born === 'born') {
  function Request(...args) {
    http.IncomingMessage.apply(this, args);
  }
  function Response(...args) {
    http.ServerResponse.apply(this, args);
  }
  Request.prototype = handler.request;
  Response.prototype = handler.response;
  options = { IncomingMessage: Request, ServerResponse: Response };
}
const server = http.createServer(options, handler).listen(0, '127.0.0.1', () => process.send(server.address().port));

let profiler;
process.on('message', (message) => {
  if (message === 'start') {
    profiler = new GCProfiler();
    profiler.start();
    return;
  }
  const used = (sizes, space) => sizes.heapSpaceStatistics.find((s) => s.spaceName === space).spaceUsedSize;
  let copied = 0;
  let scavenges = 0;
  for (const { gcType, beforeGC, afterGC } of profiler.stop().statistics) {
    if (gcType !== 'Scavenge') continue;
    scavenges += 1;
    copied += used(afterGC, 'new_space') + Math.max(0, used(afterGC, 'old_space') - used(beforeGC, 'old_space'));
  }
  process.send({ scavenges, copied });
  process.exit(0);
});
