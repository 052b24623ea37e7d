import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';
import { defaultMaxConnections, openFileLimit } from '../../src/platform/open-file-limit.ts';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('the open-file limit', () => {
  it('is the soft limit of /proc/self/limits, not the hard one', () => {
    expect(openFileLimit(() => LIMITS)).toBe(1024);
  });

  it('is unknown where the file cannot be read (not Linux) or says unlimited', () => {
    const missing = () => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    };
    expect(openFileLimit(missing)).toBeNull();
    expect(openFileLimit(() => LIMITS.replace('1024  ', 'unlimited'))).toBeNull();
  });

  it('is this process’s own on Linux', () => {
    if (process.platform !== 'linux') return;
    expect(openFileLimit()).toBeGreaterThan(0);
  });
});

describe('HTTP_MAX_CONNECTIONS', () => {
  it.each([
    [512, 256],
    [1024, 768],
    [4096, 3072],
    [20_000, 10_000],
    [1_048_576, 10_000],
  ])(
    'defaults, under ulimit -n %i, to %i: a quarter of the descriptors (256 at least) is kept for the gateway’s own',
    (limit, cap) => {
      expect(defaultMaxConnections(limit)).toBe(cap);
    },
  );

  it('defaults as under the usual limit of 1024 where the limit is unknown', () => {
    expect(defaultMaxConnections(null)).toBe(768);
  });

  it('defaults to what this process’s limit gives', () => {
    expect(loadConfig({}).httpMaxConnections).toBe(defaultMaxConnections(openFileLimit()));
  });

  it('is taken as set', () => {
    expect(loadConfig({ HTTP_MAX_CONNECTIONS: '200' }).httpMaxConnections).toBe(200);
  });

  it.each(['0', '-1', '1.5', 'many'])('is refused as %s', (value) => {
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: value })).toThrow(/HTTP_MAX_CONNECTIONS/);
  });

  it('is refused when not below the open-file limit, which would run out first', () => {
    const limit = openFileLimit();
    if (limit === null) return;
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: String(limit) })).toThrow(
      `HTTP_MAX_CONNECTIONS: ${limit} is not below the process's open-file limit (ulimit -n: ${limit})`,
    );
    expect(loadConfig({ HTTP_MAX_CONNECTIONS: String(limit - 1) }).httpMaxConnections).toBe(limit - 1);
  });
});
