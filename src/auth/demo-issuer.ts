import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { SignJWT, importJWK, type JWK } from 'jose';
import { DEFAULT_AUDIENCE } from './audience.ts';
import { DEFAULT_CLAIM_NAMES, type ClaimNames } from './claim-names.ts';
import { findDemoPreset, type DemoPreset } from './demo-presets.ts';
import { persistedKeyPair } from './persisted-key-pair.ts';

/**
 * The local issuer for the demo and for tests. Its key pair is generated on first use and kept
 * under `<dataDir>/demo-issuer/`; it is trusted only when no real issuer is configured (see
 * auth-config.ts), so production never accepts what it signs.
 */
export const DEMO_ISSUER = 'urn:shenguanzhixin-gateway:demo-issuer';
export const DEMO_ALGORITHM = 'ES256';

export interface DemoIssuerKeys {
  /** Holds `d`; stored with file mode 0600. */
  privateJwk: JWK;
  publicJwk: JWK;
}

export function demoIssuerDir(dataDir: string): string {
  return join(dataDir, 'demo-issuer');
}

/** Reads the demo key pair, generating and storing it the first time. Safe when several processes start at once. */
export async function demoIssuerKeys(dataDir: string): Promise<DemoIssuerKeys> {
  return persistedKeyPair(demoIssuerDir(dataDir));
}

export interface DemoTokenOptions {
  dataDir: string;
  /** The case or matter number the caller works on. */
  purpose?: string | undefined;
  /** A jose time span such as `8h` or `30m`; default `8h`, or the gateway's longest lifetime if shorter. */
  expiresIn?: string | undefined;
  /** The longest lifetime the gateway accepts (AUTH_MAX_TOKEN_LIFETIME_SECONDS): the default lifetime is cut to it. */
  maxLifetimeSeconds?: number | undefined;
  audience?: string | undefined;
  /** The claim names the gateway is configured to read; default the standard ones. */
  claims?: ClaimNames | undefined;
}

/** Signs a token for a preset caller (by name or given in full). */
export async function signDemoToken(preset: string | DemoPreset, options: DemoTokenOptions): Promise<string> {
  const caller = typeof preset === 'string' ? findDemoPreset(preset) : preset;
  if (caller === undefined) throw new Error(`No demo preset is called ${JSON.stringify(preset)}.`);
  const names = options.claims ?? DEFAULT_CLAIM_NAMES;
  const { privateJwk } = await demoIssuerKeys(options.dataDir);
  const claims: Record<string, unknown> = {
    [names.authority]: caller.authorityCode,
    [names.authorityKind]: caller.authorityKind,
    [names.jurisdiction]: caller.jurisdictionCode,
    [names.roles]: [...caller.roles],
    [names.clientKind]: caller.kind === 'SYSTEM' ? 'system' : 'person',
    [names.clientId]: caller.kind === 'SYSTEM' ? caller.subject : 'demo-token-cli',
  };
  if (options.purpose !== undefined) claims[names.purpose] = options.purpose;
  return (
    new SignJWT(claims)
      .setProtectedHeader({ alg: DEMO_ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
      .setIssuer(DEMO_ISSUER)
      .setAudience(options.audience ?? DEFAULT_AUDIENCE)
      .setSubject(caller.subject)
      .setIssuedAt()
      // Each token its own id, so signing out (revokeOwnToken) ends this token and no other.
      .setJti(randomUUID())
      .setExpirationTime(options.expiresIn ?? `${defaultLifetimeSeconds(options.maxLifetimeSeconds)}s`)
      .sign(await importJWK(privateJwk, DEMO_ALGORITHM))
  );
}

const DEFAULT_LIFETIME_SECONDS = 8 * 3600;

/** Eight hours, a working day, unless the gateway accepts less: a demo token it would refuse helps no one. */
function defaultLifetimeSeconds(maxLifetimeSeconds: number | undefined): number {
  return Math.min(DEFAULT_LIFETIME_SECONDS, maxLifetimeSeconds ?? DEFAULT_LIFETIME_SECONDS);
}
