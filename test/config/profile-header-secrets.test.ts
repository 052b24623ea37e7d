import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createConnectors } from '../../src/connectors/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { PROVINCIAL_PROFILE } from '../support/provincial-platform.ts';
import { spawnStart } from '../support/start-script.ts';

/**
 * A profile's header comes from a variable (`env`) or from the file a variable names (`fileEnv`, a
 * mounted secret). Both are read when the configuration is, so a missing secret stops the start
 * naming the variable, its path and the profile; before, `readFileSync` failed later, when the
 * connectors were built, with a stack and without the variable's name.
 */

const root = mkdtempSync(join(tmpdir(), 'header-secrets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const WITH_HEADERS = PROVINCIAL_PROFILE.replace(
  '  baseUrlEnv: ZJ_SJS_URL\n',
  '  baseUrlEnv: ZJ_SJS_URL\n  headers:\n    - { name: X-Api-Key, fileEnv: ZJ_SJS_KEY_FILE }\n    - { name: X-Caller, env: ZJ_SJS_CALLER }\n',
);
const profiles = join(root, 'profiles');
mkdirSync(profiles);
writeFileSync(join(profiles, 'zj-sjs.yaml'), WITH_HEADERS);
const keyFile = join(root, 'key');
writeFileSync(keyFile, 'k-123\n');
const emptyFile = join(root, 'empty');
writeFileSync(emptyFile, '\n');

const settings = (overrides: Record<string, string | undefined>): NodeJS.ProcessEnv => ({
  DATA_DIR: 'memory://',
  EXTRA_PROFILES_DIR: profiles,
  ZJ_SJS_URL: 'http://127.0.0.1:1',
  ZJ_SJS_KEY_FILE: keyFile,
  ZJ_SJS_CALLER: 'county-gateway',
  ...overrides,
});

describe('a header secret an extra profile names', () => {
  it.each([
    [
      'a missing file',
      { ZJ_SJS_KEY_FILE: join(root, 'nope') },
      `ZJ_SJS_KEY_FILE=${JSON.stringify(join(root, 'nope'))} (header X-Api-Key, its fileEnv): must name a readable file (ENOENT)`,
    ],
    [
      'a folder',
      { ZJ_SJS_KEY_FILE: root },
      `ZJ_SJS_KEY_FILE=${JSON.stringify(root)} (header X-Api-Key, its fileEnv): must name a readable file (EISDIR)`,
    ],
    [
      'an empty file',
      { ZJ_SJS_KEY_FILE: emptyFile },
      `ZJ_SJS_KEY_FILE=${JSON.stringify(emptyFile)} (header X-Api-Key, its fileEnv): must name a file holding the header's value (it is empty)`,
    ],
    [
      'no path at all',
      { ZJ_SJS_KEY_FILE: undefined },
      'ZJ_SJS_KEY_FILE (header X-Api-Key, its fileEnv): must be set, to the path of a file holding its value',
    ],
    [
      'no value for an env header',
      { ZJ_SJS_CALLER: '' },
      "ZJ_SJS_CALLER (header X-Caller, its env): must be set, to the header's value",
    ],
  ])('stops the configuration naming the variable and the profile: %s', (_, overrides, refusal) => {
    expect(() => loadConfig(settings(overrides))).toThrow(refusal);
    expect(() => loadConfig(settings(overrides))).toThrow(`${join(profiles, 'zj-sjs.yaml')}: invalid agency profile`);
  });

  it('is read with the configuration, trimmed, and the connectors are built with what was read', () => {
    const config = loadConfig(settings({}));
    expect(config.extraSources.map((source) => source.headers)).toEqual([
      { 'X-Api-Key': 'k-123', 'X-Caller': 'county-gateway' },
    ]);
    // Not from process.env, which holds neither variable: the configuration's reading is the one used.
    expect(process.env['ZJ_SJS_KEY_FILE']).toBeUndefined();
    const upstream = { baseUrl: 'http://127.0.0.1:1' };
    expect(() =>
      createConnectors(
        { approval: upstream, supervision: upstream, enforcement: upstream, credit: upstream },
        createMetrics(),
        undefined,
        undefined,
        { extraSources: config.extraSources },
      ),
    ).not.toThrow();
  });

  it('stops `npm start` with the refusal on stderr, exit 1, no stack', async () => {
    const missing = join(root, 'nope');
    const child = spawnStart({ ...settings({ ZJ_SJS_KEY_FILE: missing }), PORT: '0', LOG_LEVEL: 'silent' } as Record<
      string,
      string
    >);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const overrun = setTimeout(() => child.kill('SIGKILL'), 20_000);
    try {
      const [code] = (await once(child, 'close')) as [number | null];
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(/^gateway did not start: Invalid configuration/);
      expect(stderr).toContain(
        `ZJ_SJS_KEY_FILE=${JSON.stringify(missing)} (header X-Api-Key, its fileEnv): must name a readable file (ENOENT)`,
      );
      expect(stderr).not.toMatch(/\n\s+at |Node\.js v\d/);
    } finally {
      clearTimeout(overrun);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 30_000);
});
