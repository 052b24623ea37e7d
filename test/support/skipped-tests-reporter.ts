import type { Reporter, TestModule, Vitest } from 'vitest/node';
import { MISSING_SERVERS_VARIABLE } from './test-servers.ts';

/**
 * Ends every run by naming each skipped test, and which servers were missing, so a run that
 * skipped the PostgreSQL, Redis or MariaDB tests can never pass for a complete one.
 */
export class SkippedTestsReporter implements Reporter {
  #filteredByName = false;

  onInit(vitest: Vitest): void {
    // With `-t <pattern>` the tests left out by the filter count as skipped too; naming them would bury the rest.
    this.#filteredByName = vitest.config.testNamePattern !== undefined;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped = this.#filteredByName
      ? []
      : testModules.flatMap((module) =>
          [...module.children.allTests('skipped')].map(
            (test) => `${module.moduleId.replace(`${process.cwd()}/`, '')} > ${test.fullName}`,
          ),
        );
    const missing = process.env[MISSING_SERVERS_VARIABLE];
    if (skipped.length === 0 && !missing) return;
    const lines = [`${skipped.length} test(s) SKIPPED${missing ? ' because these servers did not answer:' : ':'}`];
    if (missing) lines.push(...missing.split('\n').map((line) => `  ${line}`), 'Skipped:');
    lines.push(...skipped.map((name) => `  - ${name}`));
    console.warn(`\n${lines.map((line) => `!!! ${line}`).join('\n')}\n`);
  }
}
