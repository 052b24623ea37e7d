import type { Store } from '../../src/platform/store/open-store.ts';
import type { StoreVariant } from './stores.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

export interface ProxiedDatabase {
  /** The scratch database opened directly: what the server really holds, whatever the proxy does. */
  direct: Store;
  /** Between the code under test and the server: it can cut, hang or thaw the connections. */
  proxy: TcpProxy;
  /** The scratch database's URL through the proxy. */
  throughProxy: string;
  /** The same database's URL without the proxy. */
  plain: string;
}

/**
 * A variant's scratch PostgreSQL database with a TCP proxy in front of it, for fault injection: a
 * refused, cut or hung server (a network black hole, which unlike a refused connection nothing
 * reports) is the proxy's doing, while `direct` still reads what the server holds.
 */
export async function proxiedDatabase(variant: StoreVariant, adminUrl: string): Promise<ProxiedDatabase> {
  const direct = await variant.open();
  const [database] = await direct.prisma.$queryRaw<{ name: string }[]>`SELECT current_database() AS name`;
  const server = new URL(adminUrl);
  const proxy = await startTcpProxy({ host: server.hostname, port: Number(server.port || 5432) });
  const plain = new URL(adminUrl);
  plain.pathname = `/${database!.name}`;
  const through = new URL(plain);
  through.hostname = '127.0.0.1';
  through.port = String(proxy.port);
  return { direct, proxy, throughProxy: through.toString(), plain: plain.toString() };
}

/** How long some work took and how it failed, if it did. */
export async function timed(run: () => Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  const error = await run().then(
    () => null,
    (failure: unknown) => failure,
  );
  return { ms: performance.now() - started, error };
}
