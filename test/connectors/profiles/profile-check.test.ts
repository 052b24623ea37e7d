import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

/** `npm run profile:check -- <args>` as an integrator runs it: exit code and output. */
async function profileCheck(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/profile-check.ts', ...args], { timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run profile:check', () => {
  it('passes the shipped credit profile on its recorded fixtures, printing each mapping', async () => {
    const { code, stdout } = await profileCheck('profiles/credit.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('profiles/credit.yaml: valid credit profile');
    expect(stdout).toMatch(/^ok {4}records-batch\.json creditRecord "XY2016000002" → .*"fineFen":425000/m);
    expect(stdout).toMatch(/7 of 7 records map; 0 would be dropped/);
  }, 90_000);

  it('passes the shipped enforcement profile on its fixtures, reference tables included', async () => {
    const { code, stdout } = await profileCheck('profiles/enforcement.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('profiles/enforcement.yaml: valid enforcement profile');
    expect(stdout).toMatch(/^ok {4}clues-batch\.json clue "XS2018000014" → .*"informant":\{"name":"金秀静"/m);
    expect(stdout).toMatch(/^ok {4}penalties-batch\.json penalty .*"kinds":\["FINE","PERMIT_REVOCATION"\]/m);
    expect(stdout).toMatch(/^ok {4}regions\.json jurisdiction "330381" → .*"level":"COUNTY","parentCode":"330300"/m);
    expect(stdout).toMatch(/43 of 43 records map; 0 would be dropped/);
  }, 90_000);

  it('names the exact field of a record that does not map, and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixtures-'));
    const recorded = JSON.parse(readFileSync('profiles/fixtures/credit/records-batch.json', 'utf8')) as {
      response: { data: Record<string, unknown>[] };
    };
    const [first] = recorded.response.data;
    recorded.response.data.push({ ...first, jlbh: 'XY-BAD', gsrq: '2024-13-01' });
    writeFileSync(join(dir, 'records.json'), JSON.stringify(recorded));
    const { code, stdout } = await profileCheck('profiles/credit.yaml', '--fixtures', dir);
    expect(code).toBe(1);
    expect(stdout).toContain('FAIL  records.json creditRecord "XY-BAD" field gsrq = "2024-13-01":');
    expect(stdout).toMatch(/2 of 3 records map; 1 would be dropped/);
  }, 90_000);

  it('refuses an invalid profile with every problem, and exits 2', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'profile-')), 'broken.yaml');
    writeFileSync(file, readFileSync('profiles/credit.yaml', 'utf8').replace('code: grade', 'code: grades'));
    const { code, stderr } = await profileCheck(file);
    expect(code).toBe(2);
    expect(stderr).toContain('/mappings/creditProfile/fields/grade: no code table "grades"');
  }, 90_000);
});
