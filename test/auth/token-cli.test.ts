import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/auth-config.ts';
import { DEMO_PRESETS } from '../../src/auth/demo-presets.ts';
import { createTokenVerifier } from '../../src/auth/verify-token.ts';
import { bearer } from './token-builder.ts';

const run = promisify(execFile);

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as `npm run token` would, with only the environment the test gives it. */
async function tokenCli(...args: string[]): Promise<CliResult> {
  const env = { PATH: process.env.PATH, HOME: process.env.HOME };
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'scripts/token.ts', ...args], { env, cwd: process.cwd() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'token-cli-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm run token', () => {
  it('prints a token that the gateway verifies as the preset caller, with the purpose given', async () => {
    const result = await tokenCli(
      '--as',
      'township-officer',
      '--purpose',
      '瑞综执立〔2026〕88号',
      '--expires',
      '1h',
      '--data-dir',
      dataDir,
    );
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const principal = await createTokenVerifier(loadAuthConfig({ DATA_DIR: dataDir })).verify(bearer(token));
    expect(principal).toMatchObject({
      authorityCode: '330381001-ZFD',
      authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM',
      jurisdictionCode: '330381001',
      roles: ['OFFICER'],
      purpose: '瑞综执立〔2026〕88号',
    });
  });

  it('lists every preset, one line each', async () => {
    const result = await tokenCli('--list');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.map((line) => line.trim().split(/\s+/)[0])).toEqual(DEMO_PRESETS.map((preset) => preset.name));
  });

  it('exits 2 with the list of presets when the preset is unknown', async () => {
    const result = await tokenCli('--as', 'superuser', '--data-dir', dataDir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('unknown preset "superuser"');
    for (const preset of DEMO_PRESETS) expect(result.stderr).toContain(preset.name);
  });

  // Its keys would live in this command's memory alone, so no gateway could verify the token.
  it("exits 2 under DATA_DIR=memory://, pointing to the gateway's POST /console/demo-token", async () => {
    for (const args of [
      ['--data-dir', 'memory://'],
      ['--data-dir', 'memory://demo'],
    ]) {
      const result = await tokenCli('--as', 'auditor', ...args);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/curl -s -X POST http:\/\/127\.0\.0\.1:\d+\/console\/demo-token/);
    }
  });

  it('exits 2 on a duration it cannot read', async () => {
    const result = await tokenCli('--as', 'auditor', '--expires', 'soon', '--data-dir', dataDir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--expires');
  });

  it('warns, on stderr only, when the token would live longer than the gateway accepts', async () => {
    const result = await tokenCli('--as', 'auditor', '--expires', '2d', '--data-dir', dataDir);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(result.stderr).toContain('AUTH_MAX_TOKEN_LIFETIME_SECONDS');
  });
});
