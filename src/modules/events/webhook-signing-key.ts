import { join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type CryptoKey,
  type JWK,
} from 'jose';
import { persistedKeyPair, publicPartOf } from '../../auth/persisted-key-pair.ts';

export const WEBHOOK_SIGNING_ALGORITHM = 'ES256';

/** The key webhooks are signed with, and its public half for the JWKS receivers verify against. */
export interface WebhookSigningKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

export function webhookSigningDir(dataDir: string): string {
  return join(dataDir, 'webhook-signing');
}

/**
 * The configured key (a private JWK or a PKCS#8 PEM, EC P-256), else the one kept in the data
 * folder (generated on first start), else — with no data folder — a key for this process only.
 */
export async function loadWebhookSigningKey(options: {
  configured: string | undefined;
  dataDir: string;
}): Promise<WebhookSigningKey> {
  if (options.configured !== undefined) return configuredKey(options.configured);
  if (options.dataDir === 'memory://') return ephemeralKey();
  const { privateJwk, publicJwk } = await persistedKeyPair(webhookSigningDir(options.dataDir));
  return fromPrivateJwk(privateJwk, publicJwk);
}

async function configuredKey(text: string): Promise<WebhookSigningKey> {
  const trimmed = text.trim();
  try {
    if (trimmed.startsWith('{')) {
      const jwk = JSON.parse(trimmed) as JWK;
      if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string')
        throw new Error('an EC P-256 private JWK (with "d") is required');
      const kid = jwk.kid ?? (await calculateJwkThumbprint(publicPartOf(jwk)));
      return fromPrivateJwk({ ...jwk, kid }, { ...publicPartOf(jwk), kid, alg: WEBHOOK_SIGNING_ALGORITHM, use: 'sig' });
    }
    const privateKey = await importPKCS8(trimmed, WEBHOOK_SIGNING_ALGORITHM, { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(publicPartOf(privateJwk));
    return {
      privateKey,
      kid,
      publicJwk: { ...publicPartOf(privateJwk), kid, alg: WEBHOOK_SIGNING_ALGORITHM, use: 'sig' },
    };
  } catch (error) {
    throw new Error(
      `WEBHOOK_SIGNING_KEY is not a usable ES256 private key (${error instanceof Error ? error.message : String(error)}).`,
      { cause: error },
    );
  }
}

async function ephemeralKey(): Promise<WebhookSigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(WEBHOOK_SIGNING_ALGORITHM, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateKey, kid, publicJwk: { ...publicJwk, kid, alg: WEBHOOK_SIGNING_ALGORITHM, use: 'sig' } };
}

async function fromPrivateJwk(privateJwk: JWK, publicJwk: JWK): Promise<WebhookSigningKey> {
  const privateKey = await importJWK(privateJwk, WEBHOOK_SIGNING_ALGORITHM);
  if (!('type' in privateKey)) throw new Error('the signing key must be asymmetric');
  return { privateKey, publicJwk, kid: publicJwk.kid ?? '' };
}
