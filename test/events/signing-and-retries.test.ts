import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportJWK, exportPKCS8, generateKeyPair } from 'jose';
import { retryDelayMs } from '../../src/modules/events/retry-delay.ts';
import { loadWebhookConfig } from '../../src/modules/events/webhook-config.ts';
import { signWebhookBody } from '../../src/modules/events/webhook-signature.ts';
import { loadWebhookSigningKey } from '../../src/modules/events/webhook-signing-key.ts';
import { verifyDetached } from './webhook-receiver.ts';

const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

describe('the webhook signing key', () => {
  it('is generated on first start, kept in the data folder, and the same on the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'gw-webhook-key-'));
    folders.push(dataDir);

    const first = await loadWebhookSigningKey({ configured: undefined, dataDir });
    const second = await loadWebhookSigningKey({ configured: undefined, dataDir });

    expect(second.kid).toBe(first.kid);
    expect(first.publicJwk).not.toHaveProperty('d');
    const signature = await signWebhookBody('{"id":"1"}', first);
    expect(await verifyDetached('{"id":"1"}', signature, second.publicJwk)).toBe(true);
  });

  it.each(['JWK', 'PEM'])(
    'can be configured as a private %s, and only its public half is published',
    async (format) => {
      const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
      const configured = format === 'JWK' ? JSON.stringify(await exportJWK(privateKey)) : await exportPKCS8(privateKey);

      const key = await loadWebhookSigningKey({ configured, dataDir: 'memory://' });

      const { x, y } = await exportJWK(publicKey);
      expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', x, y, kid: key.kid, alg: 'ES256' });
      expect(key.publicJwk).not.toHaveProperty('d');
      expect(await verifyDetached('{}', await signWebhookBody('{}', key), key.publicJwk)).toBe(true);
    },
  );

  it('refuses a configured key that is not an ES256 private key, naming the variable', async () => {
    const { publicKey } = await generateKeyPair('ES256', { extractable: true });
    await expect(
      loadWebhookSigningKey({ configured: JSON.stringify(await exportJWK(publicKey)), dataDir: 'memory://' }),
    ).rejects.toThrow('WEBHOOK_SIGNING_KEY is not a usable ES256 private key');
    await expect(loadWebhookSigningKey({ configured: 'not a key', dataDir: 'memory://' })).rejects.toThrow(
      'WEBHOOK_SIGNING_KEY',
    );
  });
});

describe('the retry delay', () => {
  const options = { initialMs: 1_000, maxMs: 60_000 };

  it('grows with the failures, never past the cap', () => {
    const median = (failures: number) => {
      const samples = Array.from({ length: 201 }, () => retryDelayMs(failures, options)).sort((a, b) => a - b);
      return samples[100]!;
    };
    expect(median(4)).toBeGreaterThan(median(1));
    expect(median(8)).toBeGreaterThan(median(4));
    for (let failures = 1; failures <= 30; failures += 1)
      expect(retryDelayMs(failures, options)).toBeLessThanOrEqual(60_000);
  });

  it('is jittered, so receivers that come back are not hit by every retry at once', () => {
    const delays = new Set(Array.from({ length: 20 }, () => retryDelayMs(5, options)));
    expect(delays.size).toBeGreaterThan(1);
  });
});

describe('the webhook settings', () => {
  it('refuse a retry cap below the first delay, naming both variables', () => {
    expect(() => loadWebhookConfig({ WEBHOOK_RETRY_INITIAL_MS: '5000', WEBHOOK_RETRY_MAX_MS: '1000' })).toThrow(
      'WEBHOOK_RETRY_MAX_MS: must not be below WEBHOOK_RETRY_INITIAL_MS',
    );
  });

  it('name a bad value', () => {
    expect(() => loadWebhookConfig({ WEBHOOK_MAX_ATTEMPTS: '0' })).toThrow('WEBHOOK_MAX_ATTEMPTS');
  });
});
