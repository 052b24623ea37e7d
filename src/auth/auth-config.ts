import { z } from 'zod';
import type { JWK } from 'jose';
import { ASYMMETRIC_ALGORITHMS, isAsymmetricAlgorithm, type AsymmetricAlgorithm } from './algorithms.ts';
import { DEFAULT_AUDIENCE } from './audience.ts';
import { DEFAULT_CLAIM_NAMES, type ClaimNames } from './claim-names.ts';
import { consoleOidcConfig, type ConsoleOidcConfig } from './console-oidc-config.ts';
import { DEMO_ISSUER } from './demo-issuer.ts';
import { publicJwkFrom, type ConfiguredKey } from './public-jwk.ts';
import { booleanSetting, integerSetting, textSetting } from '../platform/env-values.ts';
import { readSettings } from '../platform/config-problems.ts';

/** Where the keys of a trusted issuer come from. */
export type IssuerKeySource =
  /** Fetched from the issuer (the provincial identity platform); jose caches the set and refetches on an unknown kid. */
  | { kind: 'jwks'; url: string }
  /** Given in the configuration. */
  | { kind: 'keys'; keys: readonly JWK[] }
  /** The local demo issuer's key, generated under `<dataDir>/demo-issuer/` on first use. */
  | { kind: 'demo'; dataDir: string };

export interface TrustedIssuer {
  /** Exactly the token's `iss`. */
  issuer: string;
  keys: IssuerKeySource;
}

export interface AuthConfig {
  issuers: readonly TrustedIssuer[];
  /** Tokens must name this audience. */
  audience: string;
  algorithms: readonly AsymmetricAlgorithm[];
  /** Leeway for `exp`, `nbf` and `iat` between our clock and the issuer's. */
  clockToleranceSeconds: number;
  /**
   * The longest a token may live (`exp - iat`), and so the longest since its `iat`: a token
   * claiming more is refused however well signed, since a stolen one would be good for that long.
   */
  maxTokenLifetimeSeconds: number;
  claims: ClaimNames;
  /**
   * How often each gateway reloads the revoked tokens from the store (AUTH_REVOCATION_REFRESH_MS):
   * a token revoked on another instance is refused here within about this long.
   */
  revocationRefreshMs: number;
  /**
   * AUTH_REQUIRE_JTI: refuse a token without `jti` (`missing_claim`), so that every token accepted
   * can be revoked on its own. Off by default: some identity platforms leave `jti` out.
   */
  requireJti: boolean;
  /** The web console's OpenID Connect sign-in (CONSOLE_OIDC_*), if configured. */
  consoleOidc?: ConsoleOidcConfig | undefined;
}

const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Keys fetched over plain HTTP could be swapped in transit; only a loopback address is exempt (tests, sidecars). */
const jwksUrl = z
  .string()
  .url()
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
  }, 'a JWKS URL must use https (http only on a loopback address)');

const configuredKey = z.union([z.string(), z.looseObject({})]).transform((key, ctx): JWK => {
  try {
    return publicJwkFrom(key as ConfiguredKey);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
    return z.NEVER;
  }
});

/** One object with either field rather than a union, so a bad key is reported as such, not as "Invalid input". */
const issuerEntry = z
  .strictObject({
    issuer: z.string().min(1),
    jwksUrl: jwksUrl.optional(),
    keys: z.array(configuredKey).min(1).optional(),
  })
  .refine(
    (entry) => (entry.jwksUrl === undefined) !== (entry.keys === undefined),
    'give an issuer either "jwksUrl" or "keys"',
  );

const issuersJson = z
  .string()
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: 'must be JSON: [{"issuer":"…","jwksUrl":"…"} | {"issuer":"…","keys":[…]}]',
      });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(issuerEntry)
      .refine((entries) => new Set(entries.map((e) => e.issuer)).size === entries.length, 'an issuer is listed twice'),
  );

const algorithms = z.string().transform((text, ctx): AsymmetricAlgorithm[] => {
  const names = text
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const refused = names.filter((name) => !isAsymmetricAlgorithm(name));
  if (names.length === 0 || refused.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `only asymmetric algorithms are accepted (${ASYMMETRIC_ALGORITHMS.join(', ')}); refused: ${refused.join(', ') || '(empty list)'}`,
    });
    return z.NEVER;
  }
  return names.filter(isAsymmetricAlgorithm);
});

const claimName = z.string().trim().min(1);

const environment = z.object({
  AUTH_ISSUERS: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    issuersJson.optional(),
  ),
  AUTH_AUDIENCE: z.string().min(1).default(DEFAULT_AUDIENCE),
  AUTH_ALGORITHMS: algorithms.default(() => [...ASYMMETRIC_ALGORITHMS]),
  AUTH_CLOCK_TOLERANCE_SECONDS: integerSetting(0, 300).default(30),
  /** 24 h by default: a working day's session; identity platforms issue access tokens for minutes to hours. */
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: integerSetting(60, 30 * 24 * 3600).default(24 * 3600),
  AUTH_REVOCATION_REFRESH_MS: integerSetting(100, 60_000).default(2000),
  AUTH_REQUIRE_JTI: booleanSetting.default(false),
  AUTH_CLAIM_AUTHORITY: claimName.default(DEFAULT_CLAIM_NAMES.authority),
  AUTH_CLAIM_AUTHORITY_KIND: claimName.default(DEFAULT_CLAIM_NAMES.authorityKind),
  AUTH_CLAIM_JURISDICTION: claimName.default(DEFAULT_CLAIM_NAMES.jurisdiction),
  AUTH_CLAIM_ROLES: claimName.default(DEFAULT_CLAIM_NAMES.roles),
  AUTH_CLAIM_CLIENT_KIND: claimName.default(DEFAULT_CLAIM_NAMES.clientKind),
  AUTH_CLAIM_CLIENT_ID: claimName.default(DEFAULT_CLAIM_NAMES.clientId),
  AUTH_CLAIM_PURPOSE: claimName.default(DEFAULT_CLAIM_NAMES.purpose),
  /** The same variable and default as src/config.ts: the demo issuer keeps its keys there. */
  DATA_DIR: textSetting.default('./data'),
});

/** Reads the token settings, naming every bad variable at once rather than failing on the first. */
export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const e = readSettings(environment, env, 'Invalid authentication configuration');
  const configured = (e.AUTH_ISSUERS ?? []).map((entry) => entry.issuer);
  const consoleOidc = consoleOidcConfig(env, configured);
  if (consoleOidc.problems.length > 0) {
    throw new Error(`Invalid authentication configuration:\n${consoleOidc.problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return {
    consoleOidc: consoleOidc.config,
    issuers: trustedIssuers(e.AUTH_ISSUERS, e.DATA_DIR),
    audience: e.AUTH_AUDIENCE,
    algorithms: e.AUTH_ALGORITHMS,
    clockToleranceSeconds: e.AUTH_CLOCK_TOLERANCE_SECONDS,
    maxTokenLifetimeSeconds: e.AUTH_MAX_TOKEN_LIFETIME_SECONDS,
    revocationRefreshMs: e.AUTH_REVOCATION_REFRESH_MS,
    requireJti: e.AUTH_REQUIRE_JTI,
    claims: {
      authority: e.AUTH_CLAIM_AUTHORITY,
      authorityKind: e.AUTH_CLAIM_AUTHORITY_KIND,
      jurisdiction: e.AUTH_CLAIM_JURISDICTION,
      roles: e.AUTH_CLAIM_ROLES,
      clientKind: e.AUTH_CLAIM_CLIENT_KIND,
      clientId: e.AUTH_CLAIM_CLIENT_ID,
      purpose: e.AUTH_CLAIM_PURPOSE,
    },
  };
}

type IssuerEntry = z.infer<typeof issuerEntry>;

/**
 * The demo issuer is trusted only when AUTH_ISSUERS names no issuer at all: the moment one real
 * issuer is configured (as in production, with the provincial identity platform) demo tokens are
 * refused, so keys lying in a data folder can never sign for a production gateway.
 */
function trustedIssuers(entries: readonly IssuerEntry[] | undefined, dataDir: string): TrustedIssuer[] {
  if (entries === undefined || entries.length === 0) {
    return [{ issuer: DEMO_ISSUER, keys: { kind: 'demo', dataDir } }];
  }
  return entries.map((entry) =>
    entry.jwksUrl !== undefined
      ? { issuer: entry.issuer, keys: { kind: 'jwks', url: entry.jwksUrl } }
      : { issuer: entry.issuer, keys: { kind: 'keys', keys: entry.keys ?? [] } },
  );
}

/** Whether demo tokens are accepted, e.g. to tell the operator how to get one at start. */
export function trustsDemoIssuer(config: AuthConfig): boolean {
  return config.issuers.some((issuer) => issuer.keys.kind === 'demo');
}
