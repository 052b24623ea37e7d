import { CompactSign } from 'jose';
import { WEBHOOK_SIGNING_ALGORITHM, type WebhookSigningKey } from './webhook-signing-key.ts';

/** The request header carrying the signature. */
export const SIGNATURE_HEADER = 'webhook-signature';
/** Path of the public keys receivers verify signatures with. */
export const WEBHOOK_JWKS_PATH = '/.well-known/webhook-jwks.json';

const encoder = new TextEncoder();

/**
 * A compact JWS over the exact body bytes, with the payload detached (RFC 7515 appendix F):
 * `<protected header>..<signature>`. The receiver puts base64url(body) between the dots and
 * verifies with any JOSE library against the gateway's JWKS (the header names the key by `kid`),
 * so the body stays plain JSON for everything else.
 */
export async function signWebhookBody(body: string, key: WebhookSigningKey): Promise<string> {
  const jws = await new CompactSign(encoder.encode(body))
    .setProtectedHeader({ alg: WEBHOOK_SIGNING_ALGORITHM, kid: key.kid, typ: 'loop-event+jws' })
    .sign(key.privateKey);
  const [header, , signature] = jws.split('.');
  return `${header}..${signature}`;
}
