import type { AgencySystem } from '../../src/domain/types.ts';
import { settled } from './processes.ts';
import { createScratchDatabase } from './scratch-database.ts';
import { GATEWAY_NODE_ENV, GATEWAY_NODE_FLAGS, startVariants, type Variant } from './variants.ts';

/**
 * The shipped gateway on a scratch database of a PostgreSQL server (BENCH_DATABASE_URL, default
 * the local one), production's store: its access-log INSERTs run in the server's process rather
 * than in the gateway's. Null, said in the log, when no server answers: the run goes on without it.
 */
export async function shippedOnPostgres(
  upstreams: Record<AgencySystem, string>,
  log: (line: string) => void,
): Promise<{ variant: Variant; close(): Promise<void> } | null> {
  const serverUrl = process.env['BENCH_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';
  const scratch = await createScratchDatabase(serverUrl, 'bench_shipped').catch((error: unknown) => {
    log(
      `no PostgreSQL at ${serverUrl} (${error instanceof Error ? error.message : String(error)}): the embedded store only`,
    );
    return null;
  });
  if (!scratch) return null;
  try {
    const [variant] = await startVariants(upstreams, ['shipped-pg'], GATEWAY_NODE_FLAGS, {
      ...GATEWAY_NODE_ENV,
      DATABASE_URL: scratch.url,
    });
    await settled(variant!.child);
    return {
      variant: variant!,
      close: async () => {
        await variant!.child.close();
        await scratch.drop();
      },
    };
  } catch (error) {
    await scratch.drop();
    throw error;
  }
}
