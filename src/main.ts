import { inspect } from 'node:util';
import { trustsDemoIssuer } from './auth/index.ts';
import { loadConfig } from './platform/config.ts';
import { exitOnSignals } from './exit-on-signals.ts';
import { howToCall, storeLine } from './how-to-call.ts';
import { startGateway } from './gateway.ts';
import { StartFailure } from './platform/start-failure.ts';
// Started by `--import` before anything here loads (see npm start); imported here only to flush it on exit.
import { stopTracing } from './platform/tracing.ts';

const config = loadConfigOrExit();
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
    storeLine(config),
    ...(gateway.managementUrl ? [`Operator endpoints (/healthz, /readyz, /metrics): ${gateway.managementUrl}`] : []),
    '',
    ...howToCall({
      endpoint,
      authRequired: config.authRequired,
      demoIssuer: trustsDemoIssuer(config.auth),
      dataDir: config.dataDir,
    }),
    '',
    'or paste this into the IDE:',
    gateway.exampleQuery,
    '',
  ].join('\n'),
);

/**
 * A setting the gateway refuses stops the start like every other failure: on stderr after `gateway
 * did not start:`, exit 1, with each problem on a line of its own as `loadConfig` names them, and no
 * stack (the problem is the environment's, not the code's).
 */
function loadConfigOrExit(): ReturnType<typeof loadConfig> {
  try {
    return loadConfig();
  } catch (error) {
    process.stderr.write(`gateway did not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

/**
 * A start that fails (the store did not answer, the port is taken) says why in one line on stderr
 * and exits 1, for an operator and an orchestrator alike; what it had started is already stopped,
 * and whatever it left open (a socket to a server that never answered) must not keep it alive.
 * A failure whose message does not already explain it (a `StartFailure`'s does; a bug's does not)
 * is followed by its stack and causes; so is every failure at LOG_LEVEL debug or trace.
 */
function exitAfterFailedStart(error: unknown): never {
  const reason = error instanceof Error ? error.message : String(error);
  process.stderr.write(`gateway did not start: ${reason.replace(/\s*\n\s*/g, '; ')}\n`);
  const verbose = config.logLevel === 'debug' || config.logLevel === 'trace';
  if (verbose || !(error instanceof StartFailure)) process.stderr.write(`${inspect(error, { depth: 6 })}\n`);
  process.exit(1);
}
