import { randomUUID } from 'node:crypto';
import { link, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { DEFAULT_AUDIENCE } from './audience.ts';
import { DEFAULT_CLAIM_NAMES, type ClaimNames } from './claim-names.ts';
import { findDemoPreset, type DemoPreset } from './demo-presets.ts';

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
  const dir = demoIssuerDir(dataDir);
  const privatePath = join(dir, 'private.jwk.json');
  const privateJwk = (await readPrivateJwk(privatePath)) ?? (await createPrivateJwk(dir, privatePath));
  const publicJwk = publicPart(privateJwk);
  await writePublicJwk(join(dir, 'public.jwk.json'), publicJwk);
  return { privateJwk, publicJwk };
}

export interface DemoTokenOptions {
  dataDir: string;
  /** The case or matter number the caller works on. */
  purpose?: string | undefined;
  /** A jose time span such as `8h` or `30m`; default `8h`. */
  expiresIn?: string | undefined;
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
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEMO_ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(DEMO_ISSUER)
    .setAudience(options.audience ?? DEFAULT_AUDIENCE)
    .setSubject(caller.subject)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '8h')
    .sign(await importJWK(privateJwk, DEMO_ALGORITHM));
}

async function readPrivateJwk(path: string): Promise<JWK | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  const jwk = parseJson(text);
  if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new Error(`${path} is not an ES256 private key; delete the demo-issuer folder to start afresh.`);
  }
  return jwk;
}

/**
 * Writes the new key under a temporary name and links it into place: link fails if another
 * process got there first, and then its key wins, so no token is ever signed by a key that is
 * later overwritten.
 */
async function createPrivateJwk(dir: string, path: string): Promise<JWK> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = await generateKeyPair(DEMO_ALGORITHM, { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid, alg: DEMO_ALGORITHM, use: 'sig' };
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return jwk;
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    const winner = await readPrivateJwk(path);
    if (winner === undefined) throw error;
    return winner;
  } finally {
    await unlink(temporary);
  }
}

/** The public file is for people and other gateways; verification derives the key from the private file. */
async function writePublicJwk(path: string, jwk: JWK): Promise<void> {
  const text = `${JSON.stringify(jwk, null, 2)}\n`;
  const current = await readFile(path, 'utf8').catch((error: unknown) => {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  });
  if (current === text) return;
  const temporary = `${path}.${randomUUID()}.tmp`;
  await writeFile(temporary, text, { mode: 0o644 });
  await rename(temporary, path);
}

function parseJson(text: string): JWK | undefined {
  try {
    return JSON.parse(text) as JWK;
  } catch {
    return undefined;
  }
}

function publicPart(privateJwk: JWK): JWK {
  const { kty, crv, x, y, kid, alg, use } = privateJwk;
  return { kty, crv, x, y, kid, alg, use };
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
