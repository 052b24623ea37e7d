import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';
import { SkippedTestsReporter } from './test/support/skipped-tests-reporter.ts';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node resolves `graphql` to its CommonJS entry for every package (it has no "exports" map);
    // Vite would give our own code the ESM build instead, and schema types built by one would
    // fail `instanceof` checks in the other. One realm, as in production.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts', 'simulators/**/*.test.ts'],
    // Generous: CI shares two cores with real databases and simulators; these bound hangs, not speed.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at a time. Vitest's default is one fewer worker than cores, which on a two-core CI
    // machine runs every file alone, though most of them spend their time waiting (gateway
    // processes starting, simulated agency latency, timeouts, the databases), not computing.
    // Measured in docs/notes/ci-time-2026-12-04.md.
    maxWorkers: 2,
    // The PostgreSQL and Redis tests run whenever those servers answer locally; whatever is
    // skipped is named at the end of the run.
    globalSetup: ['./test/support/test-servers.ts', './test/support/compiled-build.ts'],
    reporters: ['default', new SkippedTestsReporter()],
  },
});
