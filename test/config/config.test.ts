import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/platform/config.ts';

describe('configuration from the environment', () => {
  it('runs the demo with nothing set: port 4000, embedded store, bundled simulators', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.values(config.upstreams).map((u) => u.baseUrl)).toEqual([undefined, undefined, undefined, undefined]);
    expect(config.introspection).toBe(true);
  });

  it('requires a bearer token by default, trusting the local demo issuer', () => {
    const config = loadConfig({});
    expect(config.authRequired).toBe(true);
    expect(config.auth.issuers.map((issuer) => issuer.keys.kind)).toEqual(['demo']);
  });

  it('refuses to start in production with authentication off or only the demo issuer trusted', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', AUTH_REQUIRED: 'false' })).toThrow(
      /AUTH_REQUIRED: must be true[\s\S]*AUTH_ISSUERS: must name the identity platform/,
    );
  });

  it('starts in production once a real issuer is configured', () => {
    const issuers = JSON.stringify([{ issuer: 'https://idp.zj.gov.cn', jwksUrl: 'https://idp.zj.gov.cn/jwks.json' }]);
    const config = loadConfig({ NODE_ENV: 'production', AUTH_ISSUERS: issuers });
    expect(config.auth.issuers.map((issuer) => issuer.issuer)).toEqual(['https://idp.zj.gov.cn']);
  });

  it('takes agency endpoints without their trailing slash', () => {
    expect(loadConfig({ CREDIT_URL: 'http://credit.internal:8080/' }).upstreams.credit.baseUrl).toBe(
      'http://credit.internal:8080',
    );
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', APPROVAL_URL: 'not a url', GRAPHQL_INTROSPECTION: 'yes' })).toThrow(
      /PORT[\s\S]*APPROVAL_URL[\s\S]*GRAPHQL_INTROSPECTION/,
    );
  });

  it('reads the operation names the metrics label by name, and refuses one that is not a GraphQL name', () => {
    expect(loadConfig({ METRICS_OPERATION_NAMES: 'NightlyExport, Reconcile' }).metricsOperationNames).toEqual([
      'NightlyExport',
      'Reconcile',
    ]);
    expect(() => loadConfig({ METRICS_OPERATION_NAMES: 'Nightly Export' })).toThrow(/METRICS_OPERATION_NAMES/);
  });

  it('samples the event loop every 10 ms unless METRICS_EVENT_LOOP_RESOLUTION_MS says otherwise', () => {
    expect(loadConfig({}).metricsEventLoopResolutionMs).toBe(10);
    expect(loadConfig({ METRICS_EVENT_LOOP_RESOLUTION_MS: '100' }).metricsEventLoopResolutionMs).toBe(100);
    expect(() => loadConfig({ METRICS_EVENT_LOOP_RESOLUTION_MS: '0' })).toThrow(/METRICS_EVENT_LOOP_RESOLUTION_MS/);
  });
});
