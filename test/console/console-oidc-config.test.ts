import { describe, expect, it } from 'vitest';
import { loadAuthConfig } from '../../src/auth/index.ts';

const ISSUERS = JSON.stringify([
  { issuer: 'https://id.example.gov.cn/realms/zj', jwksUrl: 'https://id.example.gov.cn/realms/zj/certs' },
]);

describe("the console's OpenID Connect settings (CONSOLE_OIDC_*)", () => {
  it('take the one configured issuer when none is named, with scope openid', () => {
    const config = loadAuthConfig({ AUTH_ISSUERS: ISSUERS, CONSOLE_OIDC_CLIENT_ID: 'console' });
    expect(config.consoleOidc).toEqual({
      issuer: 'https://id.example.gov.cn/realms/zj',
      clientId: 'console',
      scope: 'openid',
      resource: undefined,
    });
  });

  it('are absent without a client id', () => {
    expect(loadAuthConfig({ AUTH_ISSUERS: ISSUERS }).consoleOidc).toBeUndefined();
  });

  it('refuse an issuer the gateway does not trust, naming the trusted ones', () => {
    expect(() =>
      loadAuthConfig({
        AUTH_ISSUERS: ISSUERS,
        CONSOLE_OIDC_CLIENT_ID: 'console',
        CONSOLE_OIDC_ISSUER: 'https://elsewhere.example.com',
      }),
    ).toThrow(
      /CONSOLE_OIDC_ISSUER: must be one of the issuers in AUTH_ISSUERS \(https:\/\/id\.example\.gov\.cn\/realms\/zj\)/,
    );
  });

  it('refuse a client id in demo mode, where no identity platform is configured', () => {
    expect(() => loadAuthConfig({ CONSOLE_OIDC_CLIENT_ID: 'console' })).toThrow(/none configured/);
  });

  it('refuse the other settings without a client id, and a resource that is not a URL', () => {
    expect(() => loadAuthConfig({ AUTH_ISSUERS: ISSUERS, CONSOLE_OIDC_SCOPE: 'openid' })).toThrow(
      /CONSOLE_OIDC_CLIENT_ID: required/,
    );
    expect(() =>
      loadAuthConfig({ AUTH_ISSUERS: ISSUERS, CONSOLE_OIDC_CLIENT_ID: 'console', CONSOLE_OIDC_RESOURCE: 'gateway' }),
    ).toThrow(/CONSOLE_OIDC_RESOURCE/);
  });

  it('refuse an issuer over plain HTTP off this machine', () => {
    const plain = JSON.stringify([{ issuer: 'http://id.example.gov.cn', jwksUrl: 'https://id.example.gov.cn/certs' }]);
    expect(() => loadAuthConfig({ AUTH_ISSUERS: plain, CONSOLE_OIDC_CLIENT_ID: 'console' })).toThrow(/must use https/);
  });
});
