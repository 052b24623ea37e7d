/** The four things measured side by side, each in a child process of its own. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDemoToken } from '../../src/auth/index.ts';
import type { AgencySystem } from '../../src/domain/types.ts';
import type { Target } from './load.ts';
import { compiledGatewayProcess } from './compiled-gateway.ts';
import { type Child, startChild } from './processes.ts';

export type VariantName = 'floor' | 'shipped' | 'shipped-pg' | 'open' | 'naive' | 'bare-apollo' | 'yoga' | 'hive';

/** Peers that serve only the one-field schema: they take part in the fixed-cost phase alone. */
export const PEERS = ['bare-apollo', 'yoga'] as const satisfies readonly VariantName[];

export interface Variant extends Target {
  name: VariantName;
  title: string;
  child: Child;
  /** A gateway's data folder, warm once it has run: the cold-start phase starts `npm start` on it. */
  dataDir?: string;
}

/** A purpose (matter number), so conditional fields are allowed and the permission layer does its full work. */
const PURPOSE = '瑞综执立〔2026〕88号';
/** Sees the whole county, so every variant returns the same records. */
const CALLER = 'county-enforcement';
/** Per attempt; the slow-agency scenario checks answers come within this plus 50 ms. */
export const UPSTREAM_TIMEOUT_MS = 1000;
/**
 * The Node flags `npm start` runs the gateway with (package.json), so the benchmark measures what
 * ships. A 32 MB young generation (bench/notes/semispace.md); one V8 helper thread (default: four),
 * less RSS in V8's heap and the helper threads' malloc arenas (bench/RESULTS-memory.md); and no
 * allocation-site pretenuring, under which a refused document's tokens and nodes stayed alive
 * until the next full collection, copied by every scavenge until then (bench/notes/pretenuring.md);
 * and an old generation let grow to twice what survived its last full collection before the next
 * starts: V8's own factor fell to its floor during floods of large refused bodies, and it then
 * marked the whole heap back to back, tripling a token attack's CPU (bench/notes/heap-growing.md).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = [
  '--max-semi-space-size=32',
  '--v8-pool-size=1',
  '--no-allocation-site-pretenuring',
  '--heap-growing-percent=100',
];
/**
 * The environment `npm start` sets for Node (package.json), for the same reason. glibc's malloc
 * starts serving blocks over 128 KiB with their own mapping, given back when freed, but raises
 * that threshold to the size of every such block freed (up to 32 MiB): once start-up has freed
 * a few large buffers (the WebAssembly bytes of PGlite and of Prisma's query compiler, files
 * read whole), blocks of megabytes come from the heap and stay resident after they are freed.
 * A fixed threshold turns that off: 60–90 MB less RSS at ready on PGlite (bench/notes/memory.md).
 * Only glibc reads it; other C libraries ignore it.
 */
export const GATEWAY_NODE_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** GATEWAY_NODE_ENV with `overrides` on top, an empty value leaving that variable unset (a lever to weigh). */
export function gatewayNodeEnv(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  return withoutEmpty({ ...GATEWAY_NODE_ENV, ...overrides });
}

export const TITLES: Record<VariantName, string> = {
  floor: 'floor (plain node:http, same upstream calls)',
  shipped: 'gateway as shipped (tokens, sharing rules, masking, access log, limits)',
  'shipped-pg':
    "the same on a scratch PostgreSQL database (production's store), where the access log's INSERT runs in the server's process",
  open: 'gateway, permission layer and access log off (AUTH_REQUIRED=false)',
  naive: 'naive: loaders not batching (LOADER_BATCHING=off, AUTH_REQUIRED=false)',
  'bare-apollo':
    'bare Apollo: Express 5 + Apollo Server 5 with the one-field schema `checkUscc(code) { valid }`, no gateway code',
  yoga: 'Yoga: the same one-field schema on GraphQL Yoga over node:http',
  hive: 'Mesh / Hive Gateway: the four agency APIs composed with mesh-compose (JSON Schema handler, batched links), served by Hive Gateway; no permission layer',
};

const PEER_SCRIPTS: Record<(typeof PEERS)[number], string> = {
  'bare-apollo': './bare-apollo-process.ts',
  yoga: './yoga-process.ts',
};

/**
 * `nodeFlags`, `nodeEnv`: the gateways' Node flags and environment, to weigh another set
 * (bench/profile-request.ts --flags, --env; an empty value leaves that variable unset).
 */
export async function startVariants(
  upstreams: Record<AgencySystem, string>,
  names: readonly VariantName[],
  nodeFlags: readonly string[] = GATEWAY_NODE_FLAGS,
  nodeEnv: Readonly<Record<string, string>> = GATEWAY_NODE_ENV,
): Promise<Variant[]> {
  // An empty value in `extra` leaves that setting unset (its default).
  const gatewayEnv = (dataDir: string, extra: Record<string, string>) =>
    withoutEmpty({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      // Both syncs run at start; on a schedule they would add background work and upstream requests mid-measurement.
      REGISTRY_SYNC_INTERVAL_MS: String(3_600_000),
      LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000),
      UPSTREAM_TIMEOUT_MS: String(UPSTREAM_TIMEOUT_MS),
      // As shipped (the default, stated here so the results say it): a slow agency holds a query one timeout at most.
      UPSTREAM_DEADLINE_MS: String(UPSTREAM_TIMEOUT_MS),
      // One caller sends all the load here; the limiter still runs on every request, it just never refuses.
      RATE_LIMIT_PER_MINUTE: String(100_000_000),
      APPROVAL_URL: upstreams.approval,
      SUPERVISION_URL: upstreams.supervision,
      ENFORCEMENT_URL: upstreams.enforcement,
      CREDIT_URL: upstreams.credit,
      ...nodeEnv,
      ...extra,
    });
  const start = async (name: VariantName): Promise<Variant> => {
    if (name === 'bare-apollo' || name === 'yoga') {
      const child = await startChild(name, PEER_SCRIPTS[name], withoutEmpty(nodeEnv), GATEWAY_NODE_FLAGS);
      return { name, title: TITLES[name], child, url: String(child.ready.url), headers: {} };
    }
    if (name === 'hive') {
      const child = await startChild(
        name,
        './hive-process.ts',
        { BENCH_UPSTREAMS: JSON.stringify(upstreams), ...withoutEmpty(nodeEnv) },
        GATEWAY_NODE_FLAGS,
      );
      return { name, title: TITLES[name], child, url: String(child.ready.url), headers: {} };
    }
    if (name === 'floor') {
      const child = await startChild(name, './floor-process.ts', { BENCH_UPSTREAMS: JSON.stringify(upstreams) });
      return { name, title: TITLES[name], child, url: String(child.ready.url), headers: {} };
    }
    // Every gateway keeps its store on disk, as in service; the demo issuer's keys need a real folder.
    const dataDir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
    // Naive gets a long deadline: its hundreds of calls queue behind the per-agency bulkhead, and
    // the default deadline of one timeout would turn the queueing into timeouts and open the breaker.
    const extra: Record<string, string> =
      name === 'shipped' || name === 'shipped-pg'
        ? { AUTH_REQUIRED: 'true' }
        : name === 'open'
          ? { AUTH_REQUIRED: 'false' }
          : { AUTH_REQUIRED: 'false', LOADER_BATCHING: 'off', UPSTREAM_DEADLINE_MS: String(10 * UPSTREAM_TIMEOUT_MS) };
    const child = await startChild(name, compiledGatewayProcess(), gatewayEnv(dataDir, extra), nodeFlags);
    const headers: Record<string, string> =
      name === 'shipped' || name === 'shipped-pg'
        ? {
            authorization: `Bearer ${await signDemoToken(CALLER, { dataDir })}`,
            'x-purpose': encodeURIComponent(PURPOSE),
          }
        : {};
    return { name, title: TITLES[name], child, url: String(child.ready.url), headers, dataDir };
  };
  const variants: Variant[] = [];
  // One at a time: each gateway's first registry sync reads every subject from two agencies.
  for (const name of names) variants.push(await start(name));
  return variants;
}

function withoutEmpty(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}
