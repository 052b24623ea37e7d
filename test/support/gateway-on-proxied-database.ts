import type { Store } from '../../src/platform/store/open-store.ts';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.ts';
import { proxiedDatabase } from './proxied-database.ts';
import { postgresVariant, TEST_DATABASE_URL } from './stores.ts';
import type { TcpProxy } from './tcp-proxy.ts';

export interface GatewayOnProxiedDatabase {
  gw: TestGateway;
  /** Between the gateway and its store: it can refuse, cut or hang the connections. */
  proxy: TcpProxy;
  /** The same database opened directly: what the server really holds, whatever the proxy does. */
  direct: Store;
  /** Lets the proxy pass again (nothing left hung holds the gateway up), then closes everything. */
  close(): Promise<void>;
}

/**
 * A gateway that requires bearer tokens, whose store is a scratch PostgreSQL database of the
 * test's own that it reaches only through a fault-injecting proxy. `options` are the gateway's,
 * applied over those two.
 */
export async function startGatewayOnProxiedDatabase(
  options: TestGatewayOptions = {},
): Promise<GatewayOnProxiedDatabase> {
  if (TEST_DATABASE_URL === undefined) throw new Error('TEST_DATABASE_URL is not set');
  const variant = postgresVariant(TEST_DATABASE_URL);
  let proxy: TcpProxy | undefined;
  try {
    const database = await proxiedDatabase(variant, TEST_DATABASE_URL);
    proxy = database.proxy;
    const gw = await startTestGateway({ authRequired: true, databaseUrl: database.throughProxy, ...options });
    return {
      gw,
      proxy,
      direct: database.direct,
      async close() {
        await database.proxy.allow();
        await gw.close();
        await database.proxy.close();
        await variant.dispose();
      },
    };
  } catch (failure) {
    await proxy?.close();
    await variant.dispose();
    throw failure;
  }
}
