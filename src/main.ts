import { inspect } from 'node:util';
import { trustsDemoIssuer } from './auth/index.ts';
import { loadConfig } from './platform/config.ts';
import { examplePreset, exampleQuery } from './example-query.ts';
import { exitOnSignals } from './exit-on-signals.ts';
import { startGateway } from './gateway.ts';
import { StoreStartFailure } from './platform/store/migration-failures.ts';
// Started by `--import` before anything here loads (see npm start); imported here only to flush it on exit.
import { stopTracing } from './platform/tracing.ts';

const config = loadConfig();
const starting = startGateway(config);
// Installed before the gateway is up, so a signal during start waits for it and then stops it cleanly.
exitOnSignals(async () => {
  await (await starting).shutdown(config.shutdownGraceMs);
  // Last, so the spans of requests answered while draining are exported too.
  await stopTracing();
}, config.shutdownGraceMs);
const gateway = await starting.catch(exitAfterFailedStart);

const simulated = gateway.simulators ? ' (bundled simulators)' : '';
const endpoint = `${gateway.url}/graphql`;
process.stdout.write(
  [
    '',
    `审管执信 gateway ready: ${endpoint}  — open it in a browser for the GraphQL IDE`,
    `Agency systems${simulated}: ${Object.entries(gateway.upstreams)
      .map(([s, u]) => `${s} ${u}`)
      .join(', ')}`,
    `Store: ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite under ${config.dataDir}/pglite`}`,
    '',
    ...howToCall(),
    '',
    'or paste this into the IDE:',
    exampleQuery,
    '',
  ].join('\n'),
);

/**
 * A start that fails (the store did not answer, the port is taken) says why in one line on stderr
 * and exits 1, for an operator and an orchestrator alike; what it had started is already stopped,
 * and whatever it left open (a socket to a server that never answered) must not keep it alive.
 * A failure the store's messages do not already explain (a bug, say) is followed by its stack and
 * causes; so is every failure at LOG_LEVEL debug or trace.
 */
function exitAfterFailedStart(error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`gateway did not start: ${reason.replace(/\s*\n\s*/g, '; ')}\n`);
  const verbose = config.logLevel === 'debug' || config.logLevel === 'trace';
  if (verbose || !(error instanceof StoreStartFailure)) process.stderr.write(`${inspect(error, { depth: 6 })}\n`);
  process.exit(1);
}

/** Every request needs a bearer token unless authentication is off; say how to get one. */
function howToCall(): string[] {
  const query = `-d '{"query":"{ subjects(first: 2) { totalCount nodes { uscc name permits { permitNo status } credit { grade } } } }"}'`;
  if (!config.authRequired) {
    return [
      'Authentication is OFF (AUTH_REQUIRED=false): every caller sees every field. Try:',
      `  curl -s ${endpoint} -H 'content-type: application/json' \\`,
      `    ${query}`,
    ];
  }
  const demo = trustsDemoIssuer(config.auth)
    ? [
        'Every request needs a bearer token. Get one from the local demo issuer (development only):',
        '  npm run token -- --list                       # the ready-made callers',
        '  TOKEN=$(npm run -s token -- --as county-analyst)',
        'then:',
      ]
    : ['Every request needs a bearer token from a configured issuer (AUTH_ISSUERS). With one in $TOKEN:'];
  return [
    ...demo,
    `  curl -s ${endpoint} -H 'content-type: application/json' -H "authorization: Bearer $TOKEN" \\`,
    `    ${query}`,
    ...(trustsDemoIssuer(config.auth)
      ? [
          `(the IDE comes with a ${examplePreset} demo token filled in; the web console at / signs in with any demo preset)`,
        ]
      : []),
  ];
}
