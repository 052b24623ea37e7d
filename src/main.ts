import { loadConfig } from './config.ts';
import { exampleQuery } from './example-query.ts';
import { startGateway } from './gateway.ts';

const config = loadConfig();
const gateway = await startGateway(config);

const simulated = gateway.simulators ? ' (bundled simulators)' : '';
process.stdout.write(
  [
    '',
    `审管执信 gateway ready: ${gateway.url}/graphql  — open it in a browser for the GraphQL IDE`,
    `Agency systems${simulated}: ${Object.entries(gateway.upstreams).map(([s, u]) => `${s} ${u}`).join(', ')}`,
    `Store: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite under ${config.dataDir}/pglite`}`,
    '',
    'Try:',
    `  curl -s ${gateway.url}/graphql -H 'content-type: application/json' \\`,
    `    -d '{"query":"{ subjects(first: 2) { totalCount nodes { uscc name permits { permitNo status } credit { grade } } } }"}'`,
    '',
    'or paste this into the IDE:',
    exampleQuery,
  ].join('\n'),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void gateway.close().then(() => process.exit(0));
  });
}
