import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import type { ClaimNames } from '../../src/auth/claim-names.ts';
import { DEFAULT_AUDIENCE } from '../../src/auth/audience.ts';
import { findDemoPreset } from '../../src/auth/demo-presets.ts';

export const CONSOLE_CLIENT_ID = 'shenguanzhixin-console';
/** The gateway as a resource server (RFC 8707): access tokens for it are JWTs with its audience. */
const GATEWAY_RESOURCE = 'urn:shenguanzhixin:gateway';

export interface TestOidcProvider {
  issuer: string;
  jwksUrl: string;
  /** Registers the console (a public client with PKCE) once the gateway's address is known. */
  start(consoleOrigin: string, options?: { accessTokenTtlSeconds?: number }): void;
  close(): Promise<void>;
}

/**
 * A real OpenID Provider (panva's oidc-provider, by the author of jose) on a free port, with its
 * development login and consent pages. Any login name that is a demo preset signs in as that
 * preset: its access token carries the claims src/auth/principal-from-claims.ts reads. The port
 * is taken first, so the gateway can trust the issuer before the console's redirect URI is known.
 */
export async function startTestOidcProvider(claims: ClaimNames): Promise<TestOidcProvider> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(503).end('not started');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-op-es256', alg: 'ES256', use: 'sig' };

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    start(consoleOrigin, options = {}) {
      const accessTokenTtl = options.accessTokenTtlSeconds ?? 600;
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: CONSOLE_CLIENT_ID,
            token_endpoint_auth_method: 'none',
            id_token_signed_response_alg: 'ES256',
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            redirect_uris: [`${consoleOrigin}/`],
            post_logout_redirect_uris: [`${consoleOrigin}/`],
          },
        ],
        jwks: { keys: [signingKey] },
        cookies: { keys: ['test-op-cookie-key'] },
        pkce: { required: () => true },
        ttl: { AccessToken: accessTokenTtl },
        findAccount: (_ctx, id) => {
          const preset = findDemoPreset(id);
          if (preset === undefined) return undefined;
          return { accountId: id, claims: () => ({ sub: id, name: preset.authorityName }) };
        },
        claims: { openid: ['sub', 'name'] },
        // Refresh tokens for the console without offline_access (which needs prompt=consent here).
        issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
        features: {
          devInteractions: { enabled: true },
          rpInitiatedLogout: { enabled: true },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => GATEWAY_RESOURCE,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({
              scope: '',
              audience: DEFAULT_AUDIENCE,
              accessTokenFormat: 'jwt',
              accessTokenTTL: accessTokenTtl,
              jwt: { sign: { alg: 'ES256' } },
            }),
          },
        },
        // What the gateway reads from a person's token: authority, its kind, jurisdiction, roles.
        extraTokenClaims: (_ctx, token) => {
          const preset = 'accountId' in token ? findDemoPreset(String(token.accountId)) : undefined;
          if (preset === undefined) return undefined;
          return {
            [claims.authority]: preset.authorityCode,
            [claims.authorityKind]: preset.authorityKind,
            [claims.jurisdiction]: preset.jurisdictionCode,
            [claims.roles]: [...preset.roles],
          };
        },
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
