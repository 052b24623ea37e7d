import { parseArgs } from 'node:util';
import { AGENCY_SYSTEMS, type AgencySystem } from '../src/domain/types.ts';
import { readFirstPort, readScale, readSeed } from './cli-options.ts';
import { startSimulator, type StartedSimulator } from './index.ts';
import { generateWorld } from './world/generate-world.ts';

/**
 * Runs the simulated agency systems from the command line:
 *   npx tsx simulators/main.ts --scale 10 --seed 42 [--as-of 2026-11-01] [--system approval --port 4101]
 *     [--credit-exchange-db mysql://root@127.0.0.1:3306/exchangedb_demo]
 * Without --system all four start, on ports 4101-4104 unless --port gives the first.
 */
const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '42' },
    'as-of': { type: 'string', default: '2026-11-01' },
    system: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    'credit-exchange-db': { type: 'string' },
  },
});

function isSystem(value: string): value is AgencySystem {
  return (AGENCY_SYSTEMS as readonly string[]).includes(value);
}

const systems: AgencySystem[] = values.system === undefined ? [...AGENCY_SYSTEMS] : [values.system].filter(isSystem);
if (systems.length === 0) {
  console.error(`unknown --system '${values.system}'; use one of ${AGENCY_SYSTEMS.join(', ')}`);
  process.exit(2);
}
const firstPort = readFirstPort(values.port ?? '4101', AGENCY_SYSTEMS.length);
const seed = readSeed(values.seed);
const scale = readScale(values.scale);
const started = performance.now();
const world = generateWorld({ seed, scale, asOf: values['as-of'] });
console.log(
  `world seed ${world.seed} scale ${world.scale} as of ${world.asOf}: ${world.enterprises.length} enterprises, ` +
    `${world.manifest.length} planted loop breaks, generated in ${Math.round(performance.now() - started)} ms`,
);
const running: StartedSimulator[] = [];
for (const [offset, system] of systems.entries()) {
  const simulator = await startSimulator(system, world, {
    host: values.host,
    port: firstPort + offset,
    exchangeDbUrl: system === 'credit' ? values['credit-exchange-db'] : undefined,
  });
  running.push(simulator);
  console.log(`${system.padEnd(12)} ${simulator.url}`);
}

async function shutdown(): Promise<void> {
  await Promise.all(running.map((s) => s.close()));
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
