/**
 * The gateway as `npm start` runs it: compiled to dist/ (scripts/build.mjs), without tsx, so the
 * benchmarks measure the code that ships. Built first whenever a source is newer than the build.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILD_SCRIPT = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));

/** The tracing preload `npm start` passes with `--import`. */
export const COMPILED_TRACING_PRELOAD = fileURLToPath(new URL('../../dist/src/platform/tracing.js', import.meta.url));

/** Builds dist/ unless it is newer than every source, as `npm start` does first. */
export function buildIfStale(): void {
  const built = spawnSync(process.execPath, [BUILD_SCRIPT, '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`npm run build failed (${built.status ?? built.signal})`);
}

/** The compiled gateway-process.ts, for startChild; builds dist/ first if a source changed. */
export function compiledGatewayProcess(): URL {
  buildIfStale();
  return new URL('../../dist/bench/harness/gateway-process.js', import.meta.url);
}
