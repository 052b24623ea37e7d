import { Router } from 'express';
import type { JWK } from 'jose';
import { WEBHOOK_JWKS_PATH } from '../modules/events/webhook-signature.ts';
import { onlyMethods } from './unmatched-requests.ts';

/**
 * The public key webhook receivers verify signatures against, as a JWKS. Public by nature and
 * needed by systems that hold no gateway token, so it sits outside authentication.
 */
export function createWebhookJwksRouter(publicJwk: JWK): Router {
  const router = Router();
  const body = JSON.stringify({ keys: [publicJwk] });
  router
    .route(WEBHOOK_JWKS_PATH)
    .get((_req, res) => {
      // Short caching: receivers refetch on an unknown `kid`, so a rotation shows within minutes.
      res.set('cache-control', 'public, max-age=300').type('application/jwk-set+json').send(body);
    })
    .all(onlyMethods('GET'));
  return router;
}
