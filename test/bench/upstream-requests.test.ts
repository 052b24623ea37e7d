import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * `npx tsx bench/upstream-requests.ts`, as the README's Benchmarks section gives it, runs to the end
 * and counts what the README's table says: one request per system per depth level that has keys.
 */
describe('npx tsx bench/upstream-requests.ts', () => {
  it('prints the batched upstream requests of the README’s table', async () => {
    const { stdout } = await run('npx', ['tsx', 'bench/upstream-requests.ts'], {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const batched = new Map(
      [...stdout.matchAll(/^\| (\d+) \| (\w+) \| (\d+) \|/gm)].map((row) => [`${row[1]} ${row[2]}`, Number(row[3])]),
    );
    expect(Object.fromEntries(batched)).toEqual({
      '1 approval': 1,
      '1 supervision': 1,
      '1 enforcement': 2,
      '1 credit': 2,
      '20 approval': 1,
      '20 supervision': 1,
      '20 enforcement': 2,
      '20 credit': 2,
      '100 approval': 1,
      '100 supervision': 1,
      '100 enforcement': 4,
      '100 credit': 3,
    });
  }, 300_000);
});
