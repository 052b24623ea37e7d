/**
 * Vitest global setup: the tests that start the gateway as `npm start` does run the compiled
 * build in dist/, so it is rebuilt first when a source is newer (as `npm start` itself does).
 * Once here rather than in each test, because test files run in parallel and two builds of one
 * folder at once would trip over each other.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export function setup(): void {
  const script = fileURLToPath(new URL('../../scripts/build.mjs', import.meta.url));
  execFileSync(process.execPath, [script, '--if-stale'], { stdio: 'inherit' });
}
