import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectors, loadProfile } from '../../src/connectors/index.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { PROVINCIAL_PROFILE } from '../support/provincial-platform.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A folder holding these profile files. */
function profilesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'extra-profiles-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('EXTRA_PROFILES_DIR', () => {
  it('adds each profile in the folder as a source, its base URL from its own variable', () => {
    const dir = profilesDir({ 'zj-sjs.yaml': PROVINCIAL_PROFILE, 'notes.txt': 'not a profile' });
    const config = loadConfig({ EXTRA_PROFILES_DIR: dir, ZJ_SJS_URL: 'http://sjs.zj.internal:8080/' });
    expect(config.extraSources.map((s) => [s.profile.source, s.baseUrl])).toEqual([
      ['zj-sjs', 'http://sjs.zj.internal:8080'],
    ]);
    expect(loadConfig({}).extraSources).toEqual([]);
  });

  it('stops the start naming the file and the variable when its base URL is not set', () => {
    const dir = profilesDir({ 'zj-sjs.yaml': PROVINCIAL_PROFILE });
    expect(() => loadConfig({ EXTRA_PROFILES_DIR: dir })).toThrow(/zj-sjs\.yaml[\s\S]*ZJ_SJS_URL/);
  });

  it.each(['sjs.zj.internal:8080', 'ftp://sjs.zj.internal', ' http://sjs.zj.internal'])(
    'stops the start when its base URL variable holds %j, which is no http(s) URL',
    (value) => {
      const dir = profilesDir({ 'zj-sjs.yaml': PROVINCIAL_PROFILE });
      expect(() => loadConfig({ EXTRA_PROFILES_DIR: dir, ZJ_SJS_URL: value })).toThrow(
        `ZJ_SJS_URL=${JSON.stringify(value)} (its transport.baseUrlEnv): must be a URL starting http:// or https://`,
      );
    },
  );

  it('refuses two profiles claiming one source id', () => {
    const dir = profilesDir({ 'a.yaml': PROVINCIAL_PROFILE, 'b.yaml': PROVINCIAL_PROFILE });
    expect(() => loadConfig({ EXTRA_PROFILES_DIR: dir, ZJ_SJS_URL: 'http://x' })).toThrow(
      /b\.yaml[\s\S]*source "zj-sjs" is already/,
    );
  });

  it('refuses a folder with no profile in it', () => {
    expect(() => loadConfig({ EXTRA_PROFILES_DIR: profilesDir({}) })).toThrow(/no profile/);
  });
});

describe('an extra source the gateway cannot use', () => {
  const assemble = (text: string) => {
    const dir = profilesDir({ 'extra.yaml': text });
    const profile = loadProfile(join(dir, 'extra.yaml'));
    const upstream = { baseUrl: 'http://127.0.0.1:1' };
    return () =>
      createConnectors(
        { approval: upstream, supervision: upstream, enforcement: upstream, credit: upstream },
        createMetrics(),
        undefined,
        undefined,
        { extraSources: [{ profile, file: join(dir, 'extra.yaml'), baseUrl: 'http://127.0.0.1:2' }] },
      );
  };

  it('is refused without a source id of its own', () => {
    expect(assemble(PROVINCIAL_PROFILE.replace('source: zj-sjs\n', ''))).toThrow(/"source" must name this source/);
  });

  it('is refused when its mapping cannot answer a lookup the connector asks', () => {
    expect(assemble(PROVINCIAL_PROFILE.replace('jcdx.dm: ztdms, ', ''))).toThrow(
      /lookup by subject\.value needs "jcdx\.dm" among the batch fields/,
    );
  });

  it('is refused for a system that takes no extra sources yet', () => {
    expect(assemble(PROVINCIAL_PROFILE.replace('system: supervision', 'system: approval'))).toThrow(
      /takes no extra sources/,
    );
  });
});
