import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';

/**
 * Every setting, given a value it cannot take, stops the start naming the variable, the value and
 * what it accepts: never read as something else (`PORT=` as port 0, a seed of 2^32 as seed 0),
 * never dropped, never left to fail later with a stack.
 */

const folder = mkdtempSync(join(tmpdir(), 'bad-values-'));
const aFile = join(folder, 'a-file');
writeFileSync(aFile, '');

// [variable, refused value, what the refusal must say is accepted]
const refused: [string, string, RegExp][] = [
  ['PORT', '', /whole number from 0 to 65535/],
  ['PORT', ' ', /whole number from 0 to 65535/],
  ['PORT', ' 4001', /whole number from 0 to 65535/],
  ['PORT', '0x10', /whole number from 0 to 65535/],
  ['PORT', '1e3', /whole number from 0 to 65535/],
  ['PORT', '4000.5', /whole number from 0 to 65535/],
  ['PORT', '-1', /whole number from 0 to 65535/],
  ['PORT', '65536', /whole number from 0 to 65535/],
  ['PORT', 'NaN', /whole number from 0 to 65535/],
  ['SIMULATOR_SEED', '4294967296', /whole number from 0 to 4294967295/],
  ['SIMULATOR_SEED', '-1', /whole number from 0 to 4294967295/],
  ['SIMULATOR_SEED', '', /whole number from 0 to 4294967295/],
  ['SIMULATOR_SEED', '42.5', /whole number from 0 to 4294967295/],
  ['SIMULATOR_SCALE', '0', /decimal number above 0 and at most 100/],
  ['SIMULATOR_SCALE', 'Infinity', /decimal number above 0 and at most 100/],
  ['SIMULATOR_SCALE', '1e9', /decimal number above 0 and at most 100/],
  ['SIMULATOR_SCALE', '0x2', /decimal number above 0 and at most 100/],
  ['UPSTREAM_RETRIES', '2.0', /whole number from 0 to 5/],
  ['UPSTREAM_RETRIES', '6', /whole number from 0 to 5/],
  ['QUERY_MAX_DEPTH', '0b11', /whole number 1 or more/],
  ['GRAPHQL_JIT_AFTER', '', /whole number 0 or more|off/],
  ['GRAPHQL_JIT_AFTER', 'OFF', /whole number 0 or more|off/],
  ['DATABASE_POOL_SIZE', '99999999999999999999', /whole number from 1 to 100/],
  ['DATABASE_MIGRATION_TIMEOUT_MS', '999', /whole number from 1000 to 2147483647/],
  ['REGISTRY_SYNC_INTERVAL_MS', '2147483648', /whole number from 1 to 2147483647/],
  ['LOOP_INDEX_SYNC_INTERVAL_MS', '-5', /whole number from 0 to 2147483647/],
  ['SHUTDOWN_GRACE_MS', '30s', /whole number from 1 to 2147483647/],
  ['AUTH_CLOCK_TOLERANCE_SECONDS', '', /whole number from 0 to 300/],
  ['AUTH_MAX_TOKEN_LIFETIME_SECONDS', '1e4', /whole number from 60 to 2592000/],
  ['AUTH_REVOCATION_REFRESH_MS', '2s', /whole number from 100 to 60000/],
  ['WEBHOOK_TIMEOUT_MS', '1e3', /whole number from 1 to 2147483647/],
  ['WEBHOOK_MAX_ATTEMPTS', '101', /whole number from 1 to 100/],
  ['WEBHOOK_ALLOWED_PORTS', '', /names no port/],
  ['WEBHOOK_ALLOWED_PORTS', '0', /ports from 1 to 65535 or ranges low-high/],
  ['WEBHOOK_ALLOWED_PORTS', '443,65536', /ports from 1 to 65535 or ranges low-high/],
  ['WEBHOOK_ALLOWED_PORTS', '9099-9000', /ports from 1 to 65535 or ranges low-high/],
  ['WEBHOOK_ALLOWED_PORTS', '0x1bb', /ports from 1 to 65535 or ranges low-high/],
  ['WEBHOOK_ALLOWED_PORTS', 'any', /ports from 1 to 65535 or ranges low-high/],
  ['TRANSFER_DELIVERY_LEASE_MS', '', /whole number from 1 to 2147483647/],
  ['TRANSFER_DELIVERY_MAX_IN_FLIGHT', '16.5', /whole number from 1 to 256/],
  ['AUTH_REQUIRED', 'yes', /one of true, false/],
  ['AUTH_REQUIRED', 'TRUE', /one of true, false/],
  ['AUTH_REQUIRED', '1', /one of true, false/],
  ['GRAPHQL_INTROSPECTION', '', /one of true, false/],
  ['LOADER_BATCHING', 'false', /one of on, off/],
  ['TRUSTED_DOCUMENTS', 'on', /one of off, console/],
  ['LOG_LEVEL', 'INFO', /one of fatal, error, warn, info, debug, trace, silent/],
  ['NODE_ENV', 'prod', /one of development, production, test/],
  ['OTEL_SDK_DISABLED', 'yes', /one of true, false/],
  ['HOST', ' ', /non-empty, without spaces/],
  ['HOST', '', /non-empty, without spaces/],
  ['DATA_DIR', '', /non-empty, without spaces/],
  ['DATA_DIR', aFile, /must name a folder \(this is a file\)/],
  ['DATA_DIR', join(aFile, 'store'), /must name a writable folder: cannot create it \(ENOTDIR/],
  // sysfs refuses a new entry even to root, for whom a mode check passes: only writing tells.
  ['DATA_DIR', '/sys', /must name a writable folder: cannot write in it \(E(PERM|ACCES)\)/],
  ['APPROVAL_URL', 'localhost:4001', /URL starting http:\/\/ or https:\/\//],
  ['ENFORCEMENT_URL', ' http://enforcement.internal', /URL starting http:\/\/ or https:\/\//],
  ['SUPERVISION_URL', 'ftp://files.internal', /URL starting http:\/\/ or https:\/\//],
  ['DATABASE_URL', 'mysql://db.internal/gateway', /URL starting postgres:\/\/ or postgresql:\/\//],
  ['DATABASE_URL', 'localhost', /URL starting postgres:\/\/ or postgresql:\/\//],
  ['RATE_LIMIT_REDIS_URL', 'http://redis.internal', /URL starting redis:\/\/ or rediss:\/\//],
  ['HOLIDAY_CALENDAR_PATH', '/nonexistent/holidays.json', /readable file \(ENOENT\)/],
  ['CREDIT_CHECK_RULES_PATH', folder, /must name a file/],
  ['EXTRA_PROFILES_DIR', '/nonexistent/profiles', /cannot read/],
  ['MODULES_DISABLED', 'event', /one of events, transfers/],
];

const quoted = (value: string): string => JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('a setting the gateway cannot take stops the start, saying which, what and what would do', () => {
  it.each(refused)('%s=%j', (name, value, accepted) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}=${quoted(value)}[^\\n]*: `));
    expect(() => loadConfig({ [name]: value })).toThrow(accepted);
  });

  it('shows no password of a refused URL, and no refused signing key', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://gateway:s3cret@db.internal/gateway' })).toThrow(
      'DATABASE_URL="mysql://gateway:***@db.internal/gateway"',
    );
    const refusal = (() => {
      try {
        loadConfig({ WEBHOOK_SIGNING_KEY: 'not-a-key-but-secret', WEBHOOK_TIMEOUT_MS: 'x' });
      } catch (error) {
        return (error as Error).message;
      }
      return '';
    })();
    expect(refusal).toMatch(/WEBHOOK_TIMEOUT_MS="x"/);
    expect(refusal).not.toContain('not-a-key-but-secret');
  });
});

// [variable, accepted value, what the configuration holds]
const accepted: [string, string, (config: ReturnType<typeof loadConfig>) => unknown, unknown][] = [
  ['PORT', '0', (c) => c.port, 0],
  ['PORT', '65535', (c) => c.port, 65535],
  ['SIMULATOR_SEED', '0', (c) => c.simulator.seed, 0],
  ['SIMULATOR_SEED', '4294967295', (c) => c.simulator.seed, 4294967295],
  ['SIMULATOR_SCALE', '0.5', (c) => c.simulator.scale, 0.5],
  ['SIMULATOR_SCALE', '100', (c) => c.simulator.scale, 100],
  ['GRAPHQL_JIT_AFTER', 'off', (c) => c.jitAfter, null],
  ['GRAPHQL_JIT_AFTER', '0', (c) => c.jitAfter, 0],
  ['AUTH_REQUIRED', 'false', (c) => c.authRequired, false],
  [
    'APPROVAL_URL',
    'https://approval.internal:8443/api/',
    (c) => c.upstreams.approval.baseUrl,
    'https://approval.internal:8443/api',
  ],
  [
    'DATABASE_URL',
    'postgresql://postgres@127.0.0.1:5432/test',
    (c) => c.databaseUrl,
    'postgresql://postgres@127.0.0.1:5432/test',
  ],
  ['RATE_LIMIT_REDIS_URL', 'rediss://redis.internal:6380', (c) => c.rateLimit.redisUrl, 'rediss://redis.internal:6380'],
  [
    'HOLIDAY_CALENDAR_PATH',
    'reference-data/holidays-cn.json',
    (c) => c.holidayCalendarPath,
    'reference-data/holidays-cn.json',
  ],
  [
    'WEBHOOK_ALLOWED_PORTS',
    '443, 9000-9099',
    (c) => c.webhooks.destinations.allowedPorts,
    [
      { from: 443, to: 443 },
      { from: 9000, to: 9099 },
    ],
  ],
  ['DATA_DIR', 'memory://', (c) => c.dataDir, 'memory://'],
  ['DATA_DIR', join(folder, 'made', 'here'), (c) => c.dataDir, join(folder, 'made', 'here')],
  ['NODE_ENV', 'test', (c) => c.port, 4000],
  ['OTEL_SDK_DISABLED', 'true', (c) => c.port, 4000],
];

describe('the values each setting does take', () => {
  it.each(accepted)('%s=%j', (name, value, read, expected) => {
    expect(read(loadConfig({ [name]: value }))).toEqual(expected);
  });
});
