import { z } from 'zod';
import { configProblems } from '../platform/config-problems.ts';

/**
 * How the web console signs people in with the configured identity platform: OpenID Connect
 * authorization code with PKCE, as a public client (a browser keeps no secret). The gateway only
 * tells the console these values; the console talks to the issuer itself.
 */
export interface ConsoleOidcConfig {
  /** One of the issuers in AUTH_ISSUERS, whose discovery document the console reads. */
  issuer: string;
  /** The console's client id at that issuer (registered with PKCE, no secret). */
  clientId: string;
  /** Scopes asked for; the access token must carry the gateway's audience and the caller's claims. */
  scope: string;
  /** RFC 8707 resource indicator sent with the requests, for issuers that pick the audience by it. */
  resource: string | undefined;
}

const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

const optionalText = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  z.string().trim().min(1).optional(),
);

const environment = z.object({
  CONSOLE_OIDC_CLIENT_ID: optionalText,
  CONSOLE_OIDC_ISSUER: optionalText,
  CONSOLE_OIDC_SCOPE: optionalText,
  CONSOLE_OIDC_RESOURCE: optionalText.pipe(z.string().url().optional()),
});

/**
 * Reads CONSOLE_OIDC_*; undefined while no client id is set (the console then offers no sign-in
 * through the identity platform). The issuer must be one the gateway trusts, or the tokens the
 * console gets would all be refused; with a single configured issuer it may be left out.
 * Returns the problems instead of throwing, so the caller can report them with the others.
 */
export function consoleOidcConfig(
  env: NodeJS.ProcessEnv,
  trustedIssuers: readonly string[],
): { config: ConsoleOidcConfig | undefined; problems: string[] } {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    return {
      config: undefined,
      problems: configProblems(parsed.error.issues, env).map((line) => line.trim()),
    };
  }
  const e = parsed.data;
  if (e.CONSOLE_OIDC_CLIENT_ID === undefined) {
    const stray = e.CONSOLE_OIDC_ISSUER ?? e.CONSOLE_OIDC_SCOPE ?? e.CONSOLE_OIDC_RESOURCE;
    return {
      config: undefined,
      problems: stray === undefined ? [] : ['CONSOLE_OIDC_CLIENT_ID: required when another CONSOLE_OIDC_* is set'],
    };
  }
  const issuer = e.CONSOLE_OIDC_ISSUER ?? (trustedIssuers.length === 1 ? trustedIssuers[0] : undefined);
  if (issuer === undefined || !trustedIssuers.includes(issuer)) {
    return {
      config: undefined,
      problems: [
        `CONSOLE_OIDC_ISSUER: must be one of the issuers in AUTH_ISSUERS (${trustedIssuers.join(', ') || 'none configured'})`,
      ],
    };
  }
  if (!secureOrLoopback(issuer)) {
    return {
      config: undefined,
      problems: ['CONSOLE_OIDC_ISSUER: the issuer must use https (http only on a loopback address)'],
    };
  }
  return {
    config: {
      issuer,
      clientId: e.CONSOLE_OIDC_CLIENT_ID,
      scope: e.CONSOLE_OIDC_SCOPE ?? 'openid',
      resource: e.CONSOLE_OIDC_RESOURCE,
    },
    problems: [],
  };
}

/** Tokens and codes travel to the issuer; over plain HTTP only to this machine. */
function secureOrLoopback(issuer: string): boolean {
  const url = URL.parse(issuer);
  if (url === null) return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname));
}
