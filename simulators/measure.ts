import { parseArgs } from 'node:util';
import { readScale, readSeed } from './cli-options.ts';
import { startSimulators } from './index.ts';
import { generateWorld } from './world/generate-world.ts';

/**
 * Measures world generation and simulator start-up at one scale, for simulators/README.md:
 *   node --expose-gc --import tsx simulators/measure.ts --scale 10
 */
const { values } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, seed: { type: 'string', default: '42' } },
});

function heapMb(): number {
  globalThis.gc?.();
  return Math.round(process.memoryUsage().heapUsed / 1e6);
}

const before = heapMb();
let started = performance.now();
const world = generateWorld({ scale: readScale(values.scale), seed: readSeed(values.seed) });
const generationMs = Math.round(performance.now() - started);
const worldMb = heapMb() - before;
started = performance.now();
const sims = await startSimulators({ world });
const startMs = Math.round(performance.now() - started);
const servingMb = heapMb() - before;
const counts = Object.fromEntries(
  Object.entries(world)
    .filter(([, v]) => Array.isArray(v))
    .map(([k, v]) => [k, (v as unknown[]).length]),
);
console.log(JSON.stringify({ scale: world.scale, generationMs, worldMb, startMs, servingMb, counts }));
await sims.close();
