import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('configuration from the environment', () => {
  it('runs the demo with nothing set: port 4000, embedded store, bundled simulators', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.databaseUrl).toBeUndefined();
    expect(Object.values(config.upstreams).map((u) => u.baseUrl)).toEqual([undefined, undefined, undefined, undefined]);
    expect(config.introspection).toBe(true);
  });

  it('takes agency endpoints without their trailing slash', () => {
    expect(loadConfig({ CREDIT_URL: 'http://credit.internal:8080/' }).upstreams.credit.baseUrl).toBe('http://credit.internal:8080');
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ PORT: 'eighty', APPROVAL_URL: 'not a url', GRAPHQL_INTROSPECTION: 'yes' })).toThrow(
      /PORT[\s\S]*APPROVAL_URL[\s\S]*GRAPHQL_INTROSPECTION/,
    );
  });
});
