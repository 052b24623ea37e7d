import type { Logger } from 'pino';
import type { AuthConfig } from '../../auth/index.ts';
import type { Store } from '../../platform/store/open-store.ts';
import { RevocationList } from './revocation-list.ts';
import { RevokedTokenStore } from './revoked-token-store.ts';
import { TokenRevocations } from './token-revocations.ts';

/**
 * Revocations are written and reloaded on the requests' client. Not the background one: its few
 * connections may be held by a sync's transaction for up to a minute, and a reload kept waiting
 * past the stale limit would have every request refused 503 while the store is fine.
 */
export function createTokenRevocations(
  store: Pick<Store, 'prisma'>,
  auth: AuthConfig,
  logger: Logger,
): TokenRevocations {
  const tokens = new RevokedTokenStore(store.prisma);
  const list = new RevocationList({
    store: tokens,
    refreshMs: auth.revocationRefreshMs,
    graceMs: auth.clockToleranceSeconds * 1000,
    logger,
  });
  return new TokenRevocations(tokens, list, auth);
}
