import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';
import { SkippedTestsReporter } from './test/support/skipped-tests-reporter.ts';

const require = createRequire(import.meta.url);

const TEST_FILES = ['test/**/*.test.ts', 'src/**/*.test.ts', 'simulators/**/*.test.ts'];
/** Test files that use vi.mock, found by reading them: a module they replace must not be shared with other files. */
const MOCKING_FILES = ['test', 'src', 'simulators']
  .flatMap((folder) => readdirSync(folder, { recursive: true, encoding: 'utf8' }).map((file) => join(folder, file)))
  .filter((file) => file.endsWith('.test.ts') && /\bvi\.(do)?mock\(/.test(readFileSync(file, 'utf8')));

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS entry for every package (it has no "exports" map);
    // Vite would give our own code the ESM build instead, and schema types built by one would
    // fail `instanceof` checks in the other. One realm, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    // Generous: CI shares two cores with real databases and simulators; these bound hangs, not speed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The PostgreSQL and Redis tests run whenever those servers answer locally; whatever is
    // skipped is named at the end of the run.
    globalSetup: ['./test/support/test-servers.ts', './test/support/compiled-build.ts'],
    reporters: ['default', new SkippedTestsReporter()],
    // Most files share one worker's loaded modules: importing the gateway afresh for each file
    // cost more than half of the run. Files that replace a module with vi.mock keep a fresh one.
    projects: [
      { extends: true, test: { name: 'shared', isolate: false, include: TEST_FILES, exclude: MOCKING_FILES } },
      { extends: true, test: { name: 'isolated', include: MOCKING_FILES } },
    ],
  },
});
