/** The public surface of token verification; the server and the permission layer import from here. */
export { ASYMMETRIC_ALGORITHMS, type AsymmetricAlgorithm } from './algorithms.ts';
export {
  loadAuthConfig,
  trustsDemoIssuer,
  type AuthConfig,
  type IssuerKeySource,
  type TrustedIssuer,
} from './auth-config.ts';
export {
  AUTHENTICATION_REASONS,
  AuthenticationError,
  authenticationHttpStatus,
  wwwAuthenticateHeader,
  type AuthenticationReason,
} from './authentication-error.ts';
export type { ConsoleOidcConfig } from './console-oidc-config.ts';
export { DEFAULT_CLAIM_NAMES, type ClaimNames } from './claim-names.ts';
export { DEMO_ISSUER, demoIssuerKeys, signDemoToken, type DemoTokenOptions } from './demo-issuer.ts';
export { DEMO_PRESETS, findDemoPreset, type DemoPreset } from './demo-presets.ts';
export { IssuerUnavailableError, issuerUnavailableHttpStatus } from './issuer-unavailable-error.ts';
export type { Principal, Role, TokenIdentity } from './principal.ts';
export { MAX_IDENTIFIER_LENGTH } from './principal-from-claims.ts';
export { refuseRevokedTokens, type RevokedTokens } from './refuse-revoked-tokens.ts';
export { createTokenVerifier, type TokenVerifier } from './verify-token.ts';
