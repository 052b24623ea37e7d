/**
 * `npm run profile:check -- <profile.yaml> [--fixtures <dir>]`: the integrator's check on site.
 * Validates the profile against profiles/agency-profile.schema.json (every problem named), then
 * maps every record of the recorded responses in `profiles/fixtures/<system>/*.json` (or
 * `--fixtures`), printing each record's mapping or the exact field that failed.
 *
 * Exit 0: valid, every record maps. Exit 1: some record does not map (it would be dropped with
 * UPSTREAM_RECORD_DROPPED). Exit 2: the profile is invalid or the fixtures cannot be read.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkFixtures, describeOutcome } from '../src/connectors/profiles/check-fixtures.ts';
import { PROFILES_DIR, ProfileError, loadProfile } from '../src/connectors/profiles/load-profile.ts';

function main(): number {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    options: { fixtures: { type: 'string' } },
    allowPositionals: true,
  });
  const [file] = positionals;
  if (!file || positionals.length > 1) {
    console.error('usage: npm run profile:check -- <profile.yaml> [--fixtures <dir>]');
    return 2;
  }
  try {
    const profile = loadProfile(file);
    console.log(`${file}: valid ${profile.system} profile`);
    const dir = values.fixtures ?? join(fileURLToPath(PROFILES_DIR), 'fixtures', profile.system);
    const outcomes = checkFixtures(profile, dir);
    for (const outcome of outcomes) console.log(describeOutcome(outcome));
    const failed = outcomes.filter((outcome) => !outcome.ok).length;
    console.log(`${outcomes.length - failed} of ${outcomes.length} records map; ${failed} would be dropped`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    console.error(error instanceof ProfileError || error instanceof Error ? error.message : String(error));
    return 2;
  }
}

process.exitCode = main();
