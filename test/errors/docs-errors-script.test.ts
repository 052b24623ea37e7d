import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** `npm run docs:errors -- <args>` as a contributor runs it: exit code and output. */
async function docsErrors(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/docs-errors.ts', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A copy of the README whose first error-table row says something the catalogue does not. */
function driftedReadme(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'docs-errors-')), 'README.md');
  copyFileSync(new URL('../../README.md', import.meta.url), path);
  const text = readFileSync(path, 'utf8');
  writeFileSync(path, text.replace('| `BAD_REQUEST` | 400 |', '| `BAD_REQUEST` | 418 |'));
  return path;
}

describe('npm run docs:errors', () => {
  it('says the committed README matches the catalogue, and with --check exits 0', async () => {
    const { code, stdout } = await docsErrors('--check');
    expect(code).toBe(0);
    expect(stdout).toBe('README.md: the error tables match src/errors/error-catalogue.ts\n');
  }, 90_000);

  it('with --check reports drift, exits 1 and writes nothing', async () => {
    const readme = driftedReadme();
    const before = readFileSync(readme, 'utf8');
    const { code, stderr } = await docsErrors('--check', readme);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `${readme}: the error tables differ from src/errors/error-catalogue.ts; npm run docs:errors rewrites them\n`,
    );
    expect(readFileSync(readme, 'utf8')).toBe(before);
  }, 90_000);

  it('without --check rewrites drifted tables and says so', async () => {
    const readme = driftedReadme();
    const { code, stdout } = await docsErrors(readme);
    expect(code).toBe(0);
    expect(stdout).toBe(`${readme}: the error tables rewritten from src/errors/error-catalogue.ts\n`);
    expect(readFileSync(readme, 'utf8')).toContain('| `BAD_REQUEST` | 400 |');
    expect((await docsErrors('--check', readme)).code).toBe(0);
  }, 90_000);
});
