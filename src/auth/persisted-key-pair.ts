import { randomUUID } from 'node:crypto';
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import { makeFolder } from '../platform/make-folder.ts';

/** An ES256 key pair kept in a folder of its own: `private.jwk.json` (mode 0600) and `public.jwk.json`. */
export interface PersistedKeyPair {
  /** Holds `d`. */
  privateJwk: JWK;
  publicJwk: JWK;
}

export const PERSISTED_KEY_ALGORITHM = 'ES256';

/**
 * Reads the key pair in `dir`, generating and storing it the first time. Safe when several
 * processes start at once: they all end up with the same key.
 */
export async function persistedKeyPair(dir: string): Promise<PersistedKeyPair> {
  // DATA_DIR=memory:// (joined to memory:/…) keeps nothing on disk: the pair lives as long as the process.
  if (dir.startsWith('memory:/')) return inMemoryKeyPair(dir);
  const privatePath = join(dir, 'private.jwk.json');
  const privateJwk = (await readPrivateJwk(privatePath)) ?? (await createPrivateJwk(dir, privatePath));
  const publicJwk = publicPartOf(privateJwk);
  await writePublicJwk(join(dir, 'public.jwk.json'), publicJwk);
  return { privateJwk, publicJwk };
}

const inMemory = new Map<string, Promise<PersistedKeyPair>>();

function inMemoryKeyPair(dir: string): Promise<PersistedKeyPair> {
  let pair = inMemory.get(dir);
  if (!pair) {
    pair = newPrivateJwk().then((privateJwk) => ({ privateJwk, publicJwk: publicPartOf(privateJwk) }));
    inMemory.set(dir, pair);
  }
  return pair;
}

/** A fresh ES256 private JWK, its key id the thumbprint of its public half. */
async function newPrivateJwk(): Promise<JWK> {
  const { privateKey, publicKey } = await generateKeyPair(PERSISTED_KEY_ALGORITHM, { extractable: true });
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { ...(await exportJWK(privateKey)), kid, alg: PERSISTED_KEY_ALGORITHM, use: 'sig' };
}

/** The public members of an EC private JWK (what a JWKS may publish). */
export function publicPartOf(privateJwk: JWK): JWK {
  const { kty, crv, x, y, kid, alg, use } = privateJwk;
  return { kty, crv, x, y, kid, alg, use };
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
    throw new Error(
      `${path} is not an ES256 private key; delete the ${basename(join(path, '..'))} folder to start afresh.`,
    );
  }
  return jwk;
}

/**
 * Writes the new key under a temporary name and links it into place: link fails if another
 * process got there first, and then its key wins, so nothing is ever signed by a key that is
 * later overwritten.
 */
async function createPrivateJwk(dir: string, path: string): Promise<JWK> {
  await makeFolder(dir, 0o700);
  const jwk = await newPrivateJwk();
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

/** The public file is for people and other systems; signing derives everything from the private file. */
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

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
