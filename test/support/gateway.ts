import { generateWorld, startSimulators, type World } from '../../simulators/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDemoToken, type DemoPreset } from '../../src/auth/index.ts';
import { postGraphQL } from './graphql-client.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { startGateway } from '../../src/gateway.ts';
import type { AgencySystem, Authority } from '../../src/domain/types.ts';

export interface TestGatewayOptions {
  /** The simulated world: seed 42 at scale 1 unless a test asks for another (an unseen world). */
  world?: { seed?: number; scale?: number; asOf?: string };
  /** Per-attempt upstream timeout; short so slow-agency tests finish quickly. */
  upstreamTimeoutMs?: number;
  upstreamRetries?: number;
  databaseUrl?: string;
  /** Bearer tokens, sharing rules and the access log on, with the demo issuer's keys in a temp folder. */
  authRequired?: boolean;
  /** False: the benchmark's naive variant, one upstream request per record (LOADER_BATCHING=off). */
  loaderBatching?: boolean;
  /** Further environment, applied last (e.g. AUTH_ISSUERS for a gateway outside demo mode). */
  env?: NodeJS.ProcessEnv;
  /** A data folder of the caller's, kept on close: a gateway started again on it finds the same store and keys. */
  dataDir?: string;
  /** Credit from this 前置库 (CREDIT_EXCHANGE_DB_URL) instead of its API; the simulators fill it. */
  creditExchangeDbUrl?: string;
  /** Agencies already down when the gateway starts (bring one back with `setFaults({ down: false })`). */
  downAtStart?: readonly AgencySystem[];
  /** Authorities added to the simulated reference list, for tests that need codes of their own. */
  authorities?: readonly Authority[];
  /** Changes the generated world before the simulators serve it (e.g. hostile agency text). */
  alterWorld?: (world: World) => void;
}

/**
 * The bundled simulators (scale 1, seed 42 unless `world` says otherwise) and a gateway in front
 * of them over real HTTP, with an in-memory PGlite store. The simulators are started here, not by the gateway, so tests can
 * inject faults through their control API.
 */
export async function startTestGateway(options: TestGatewayOptions = {}) {
  const world = generateWorld({ scale: 1, seed: 42, ...options.world });
  world.authorities.push(...(options.authorities ?? []));
  options.alterWorld?.(world);
  const simulators = await startSimulators({ world, creditExchangeDbUrl: options.creditExchangeDbUrl });
  for (const system of options.downAtStart ?? []) await simulators.control(system).setFaults({ down: true });
  // The demo issuer keeps its keys in the data folder, so an authenticated gateway needs a real one.
  const dataDir = options.dataDir ?? (options.authRequired ? mkdtempSync(join(tmpdir(), 'gw-auth-')) : 'memory://');
  const env: NodeJS.ProcessEnv = {
    PORT: '0',
    DATA_DIR: dataDir,
    AUTH_REQUIRED: options.authRequired ? 'true' : 'false',
    LOADER_BATCHING: options.loaderBatching === false ? 'off' : 'on',
    LOG_LEVEL: 'silent',
    // No scheduled sync during a test: it would add upstream requests to the counts tests read.
    REGISTRY_SYNC_INTERVAL_MS: String(3_600_000),
    // The loop index is off unless a test asks for it (its first sync reads every feed).
    LOOP_INDEX_SYNC_INTERVAL_MS: '0',
    UPSTREAM_TIMEOUT_MS: String(options.upstreamTimeoutMs ?? 1000),
    UPSTREAM_RETRIES: String(options.upstreamRetries ?? 1),
    // Tests fire requests far faster than any person; the limit itself has tests of its own.
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_FAILURE_LIMIT_PER_MINUTE: '1000000',
    APPROVAL_URL: simulators.urls.approval,
    SUPERVISION_URL: simulators.urls.supervision,
    ENFORCEMENT_URL: simulators.urls.enforcement,
    ...(options.creditExchangeDbUrl
      ? { CREDIT_EXCHANGE_DB_URL: options.creditExchangeDbUrl }
      : { CREDIT_URL: simulators.urls.credit }),
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    // GRAPHQL_JIT_AFTER=0 in the test run's environment runs a suite with every query compiled at once.
    ...(process.env['GRAPHQL_JIT_AFTER'] ? { GRAPHQL_JIT_AFTER: process.env['GRAPHQL_JIT_AFTER'] } : {}),
    ...options.env,
  };
  const gateway = await startGateway(loadConfig(env));
  await finishFirstRegistrySync(gateway);
  await finishFirstLoopIndexSync(gateway);
  return {
    url: gateway.url,
    /** Posts one GraphQL operation to this gateway over real HTTP. */
    post<T = Record<string, unknown>>(
      query: string,
      variables?: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) {
      return postGraphQL<T>(gateway.url, query, variables, headers);
    },
    simulators,
    world: simulators.world,
    gateway,
    /**
     * Upstream requests counted by the gateway's own /metrics, per system: every attempt, or with
     * `answered` only those the agency answered (a batch retried after a timeout on a loaded
     * machine still counts once).
     */
    async upstreamRequestCounts(
      which: 'every attempt' | 'answered' = 'every attempt',
    ): Promise<Record<AgencySystem, number>> {
      return countUpstreamRequests(await (await fetch(`${gateway.url}/metrics`)).text(), which === 'answered');
    },
    /** Headers of a request by one of the demo issuer's preset callers (or a variant of one), optionally for a matter. */
    async as(preset: string | DemoPreset, purpose?: string): Promise<Record<string, string>> {
      const token = await signDemoToken(preset, { dataDir });
      return { authorization: `Bearer ${token}`, ...(purpose ? { 'x-purpose': encodeURIComponent(purpose) } : {}) };
    },
    async close() {
      await gateway.close();
      await simulators.close();
      if (dataDir !== 'memory://' && options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestGateway = Awaited<ReturnType<typeof startTestGateway>>;

/**
 * An authenticated gateway whose loop index synced once at start and not again during the test,
 * with time enough per agency call that a loaded machine does not make an agency look down.
 */
export function startLoopIndexedGateway(): Promise<TestGateway> {
  return startTestGateway({
    authRequired: true,
    upstreamTimeoutMs: 5_000,
    env: { LOOP_INDEX_SYNC_INTERVAL_MS: String(3_600_000) },
  });
}

/**
 * On a loaded machine the gateway's first registry sync can time out on a feed. The gateway
 * serves all the same and retries it on its schedule seconds later (by design), but a test
 * that counts or pages subjects would read a registry still filling: retry it here, a few
 * times at most (a test may have an agency down on purpose), so tests start from the whole one.
 */
async function finishFirstRegistrySync(gateway: Awaited<ReturnType<typeof startGateway>>): Promise<void> {
  const lagging = async () => (await gateway.registrySync.freshness()).some((feed) => feed.lastError !== null);
  for (let attempt = 0; attempt < 3 && (await lagging()); attempt += 1) {
    await gateway.registrySync.syncOnce().catch(() => undefined);
  }
}

/**
 * The same for the loop index, where a test runs its sync: a feed whose first backfill timed out
 * would leave the index partial, and every loop answer warned of it (FEEDS_BEHIND).
 */
async function finishFirstLoopIndexSync(gateway: Awaited<ReturnType<typeof startGateway>>): Promise<void> {
  const lagging = async () => (await gateway.loop.sync.failingFeeds()).length > 0;
  for (let attempt = 0; attempt < 3 && (await lagging()); attempt += 1) {
    await gateway.loop.sync.syncOnce().catch(() => undefined);
  }
}

function countUpstreamRequests(metricsText: string, answeredOnly: boolean): Record<AgencySystem, number> {
  const counts: Record<AgencySystem, number> = { approval: 0, supervision: 0, enforcement: 0, credit: 0 };
  for (const line of metricsText.split('\n')) {
    const match = /^gateway_upstream_requests_total\{([^}]*)\} (\d+)/.exec(line);
    const system = match ? /system="(\w+)"/.exec(match[1]!)?.[1] : undefined;
    if (answeredOnly && !match?.[1]!.includes('outcome="ok"')) continue;
    if (match && system && system in counts) counts[system as AgencySystem] += Number(match[2]);
  }
  return counts;
}
