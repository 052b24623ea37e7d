import type { Logger } from 'pino';
import type { AuthConfig } from '../../auth/index.ts';
import type { Store } from '../../platform/store/open-store.ts';
import { RevocationList } from './revocation-list.ts';
import { RevokedTokenStore } from './revoked-token-store.ts';
import { TokenRevocations } from './token-revocations.ts';

/** Revocations are written on the requests' client; the periodic reload reads on the background one. */
export function createTokenRevocations(
  store: Pick<Store, 'prisma' | 'background'>,
  auth: AuthConfig,
  logger: Logger,
): TokenRevocations {
  const list = new RevocationList({
    store: new RevokedTokenStore(store.background),
    refreshMs: auth.revocationRefreshMs,
    graceMs: auth.clockToleranceSeconds * 1000,
    logger,
  });
  return new TokenRevocations(new RevokedTokenStore(store.prisma), list, auth);
}
