import { z } from 'zod';
import { checkExchangeDbUrl, type ExtraSource } from '../connectors/index.ts';
import { loadExtraSources } from './extra-sources.ts';
import { loadAuthConfig, trustsDemoIssuer, type AuthConfig } from '../auth/index.ts';
import type { AgencySystem } from '../domain/types.ts';
import type { RateLimitSettings } from '../http/rate-limit.ts';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './query-limits.ts';
import { MAX_TIMER_MS, positiveTimerMs, timerMsOrZero } from './timer-ms.ts';
import { parseTrustedProxies } from './trusted-proxies.ts';
import { defaultMaxConnections, openFileLimit } from './open-file-limit.ts';
import { DEFAULT_POSTGRES_TIMEOUTS, type StoreTimeouts } from './store/store-timeouts.ts';
import { DEFAULT_POSTGRES_POOLS, type StorePools } from './store/store-pools.ts';
import { DEFAULT_EVENT_LOOP_RESOLUTION_MS } from './metrics.ts';
import { DEFAULT_ANSWER_WORKING_DAYS } from '../modules/sharing-requests/answer-deadline.ts';
import { loadWebhookConfig, type WebhookConfig } from '../modules/events/webhook-config.ts';
import { readSettings } from './config-problems.ts';
import { simulatorScaleSetting, simulatorSeedSetting } from './simulator-settings.ts';
import {
  booleanSetting,
  choiceSetting,
  integerSetting,
  readableFileSetting,
  textSetting,
  urlSetting,
  writableFolderSetting,
} from './env-values.ts';
import { servedJurisdictionSetting } from '../modules/access/served-jurisdiction-setting.ts';
import {
  loadTransferDeliveryConfig,
  type TransferDeliveryConfig,
} from '../modules/transfers/transfer-delivery-config.ts';

/** The features that can be switched off (MODULES_DISABLED); the rest every answer needs. */
export const OPTIONAL_MODULES = ['events', 'transfers', 'loop', 'sharing-requests', 'credit-check'] as const;
export type OptionalModule = (typeof OPTIONAL_MODULES)[number];

/** A comma-separated setting, as a list of its non-blank items. */
const commaList = z.string().transform((value) =>
  value
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean),
);

const moduleList = commaList.pipe(
  z.array(z.enum(OPTIONAL_MODULES, { message: `each must be one of ${OPTIONAL_MODULES.join(', ')}` })),
);

const port = integerSetting(0, 65535);
const positiveMs = positiveTimerMs;
/** An agency system's base URL, kept without its trailing slash. */
const url = urlSetting(['http', 'https']).transform((value) => value.replace(/\/+$/, ''));

/** Every setting comes from the environment; each has a default that runs the demo. */
const environment = z.object({
  PORT: port.default(4000),
  HOST: textSetting.default('127.0.0.1'),
  /**
   * A port of its own for the operator's endpoints (/healthz, /readyz, /metrics), apart from the
   * callers' traffic and its connection cap (management-server.ts); unset: they share PORT.
   */
  MANAGEMENT_PORT: port.optional(),
  /** The interface the operator's port listens on; unset: HOST's. */
  MANAGEMENT_HOST: textSetting.optional(),
  DATABASE_URL: urlSetting(['postgres', 'postgresql']).optional(),
  /** How long opening a PostgreSQL connection may take before the store counts as unavailable. */
  DATABASE_CONNECT_TIMEOUT_MS: positiveMs.default(DEFAULT_POSTGRES_TIMEOUTS.connectMs),
  /**
   * How long one PostgreSQL statement a caller waits on (its reads, its access-log entry) may wait
   * for its answer: a server that stops answering refuses callers within this, not hangs them.
   * Request-path statements take well under a second (bench/RESULTS-loop.md), so 5 s is ample.
   */
  DATABASE_QUERY_TIMEOUT_MS: positiveMs.default(DEFAULT_POSTGRES_TIMEOUTS.queryMs),
  /** The same for background work nobody waits on (syncs, deliveries), whose batches may be heavier. */
  DATABASE_BACKGROUND_QUERY_TIMEOUT_MS: positiveMs.default(DEFAULT_POSTGRES_TIMEOUTS.backgroundQueryMs),
  /**
   * How long one migration statement at start may run, and how long a start may wait for the
   * migration lock another starting gateway holds: generous, since an index build on a big table
   * takes minutes, but bounded, so a stuck migration fails the start instead of holding it forever.
   */
  // At least a second: the server's own bound sits 250 ms under it, and nothing migrates in less.
  DATABASE_MIGRATION_TIMEOUT_MS: integerSetting(1000, MAX_TIMER_MS).default(DEFAULT_POSTGRES_TIMEOUTS.migrationMs),
  /** How long a start waits for a PostgreSQL that refuses or drops its connections (starting, failing over); 0: no wait. */
  DATABASE_START_WAIT_MS: integerSetting(0, MAX_TIMER_MS).default(DEFAULT_POSTGRES_TIMEOUTS.startWaitMs!),
  /** Connections for statements callers wait on; with the background pool's and the access log's 2, what one gateway opens. */
  DATABASE_POOL_SIZE: integerSetting(1, 100).default(DEFAULT_POSTGRES_POOLS.requests),
  DATABASE_BACKGROUND_POOL_SIZE: integerSetting(1, 50).default(DEFAULT_POSTGRES_POOLS.background),
  /**
   * `memory://`: PGlite in memory, nothing kept; otherwise a folder made when missing and written
   * in at once, the default too, so a file, a read-only place or procfs is refused here by name.
   */
  DATA_DIR: z.string().default('./data').pipe(z.literal('memory://').or(writableFolderSetting)),
  LOG_LEVEL: choiceSetting(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  APPROVAL_URL: url.optional(),
  SUPERVISION_URL: url.optional(),
  ENFORCEMENT_URL: url.optional(),
  CREDIT_URL: url.optional(),
  /** The credit platform's 前置库 (exchange database), read instead of its HTTP API. */
  CREDIT_EXCHANGE_DB_URL: z
    .string()
    .superRefine((value, context) => {
      try {
        checkExchangeDbUrl(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
      }
    })
    .optional(),
  // Unset, each source's profile (resilience:) decides, then the gateway's defaults (2000 ms, 2, 16).
  UPSTREAM_TIMEOUT_MS: positiveMs.optional(),
  UPSTREAM_RETRIES: integerSetting(0, 5).optional(),
  /**
   * The longest one agency may hold a query, retries and queueing included; by default one
   * timeout, so a slow agency costs a query no more than that (retries then repeat fast failures only).
   */
  UPSTREAM_DEADLINE_MS: positiveMs.optional(),
  UPSTREAM_MAX_CONCURRENCY: integerSetting(1).optional(),
  /** A folder of further agency profiles (`*.yaml`, `*.yml`, `*.json`): more sources for a system. */
  EXTRA_PROFILES_DIR: textSetting.optional(),
  /** `console`: browsers may send only the web console's committed operations (see src/http/trusted-documents.ts). */
  TRUSTED_DOCUMENTS: choiceSetting(['off', 'console']).default('off'),
  REGISTRY_SYNC_INTERVAL_MS: positiveMs.default(60_000),
  LOOP_INDEX_SYNC_INTERVAL_MS: timerMsOrZero.default(60_000),
  QUERY_MAX_DEPTH: integerSetting(1).default(DEFAULT_QUERY_LIMITS.maxDepth),
  QUERY_MAX_ALIASES: integerSetting(1).default(DEFAULT_QUERY_LIMITS.maxAliases),
  QUERY_MAX_COST: integerSetting(1).default(DEFAULT_QUERY_LIMITS.maxCost),
  QUERY_MAX_TOKENS: integerSetting(1).default(DEFAULT_QUERY_LIMITS.maxTokens),
  AUTH_REQUIRED: booleanSetting.default(true),
  RATE_LIMIT_PER_MINUTE: integerSetting(1).default(600),
  AUTH_FAILURE_LIMIT_PER_MINUTE: integerSetting(1).default(30),
  RATE_LIMIT_REDIS_URL: urlSetting(['redis', 'rediss']).optional(),
  /** Concurrent client connections; unset: the open-file limit less a reserve (open-file-limit.ts). */
  HTTP_MAX_CONNECTIONS: integerSetting(1).optional(),
  /** The reverse proxies whose X-Forwarded-For is believed (trusted-proxies.ts); none by default. */
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
        return z.NEVER;
      }
    }),
  GRAPHQL_INTROSPECTION: booleanSetting.default(true),
  /** graphql-js executions of a query before graphql-jit compiles it; `off`: graphql-js executes every operation. */
  GRAPHQL_JIT_AFTER: z
    .union([z.literal('off'), integerSetting(0)], { error: "must be 'off' or a whole number 0 or more" })
    .default(1),
  /** Benchmark only: `off` turns DataLoader batching off (one upstream request per record), for bench/'s naive variant. */
  LOADER_BATCHING: choiceSetting(['on', 'off']).default('on'),
  SIMULATOR_SCALE: simulatorScaleSetting.default(1),
  SIMULATOR_SEED: simulatorSeedSetting.default(42),
  HOLIDAY_CALENDAR_PATH: readableFileSetting.optional(),
  SHARING_REQUEST_ANSWER_WORKING_DAYS: integerSetting(1, 60).default(DEFAULT_ANSWER_WORKING_DAYS),
  CREDIT_CHECK_RULES_PATH: readableFileSetting.optional(),
  SHUTDOWN_GRACE_MS: positiveMs.default(25_000),
  /** Comma-separated features to leave out: their fields, routes and workers (e.g. `transfers,events`). */
  MODULES_DISABLED: moduleList.default([]),
  /** Comma-separated operation names the GraphQL metrics label by name, besides the console's own. */
  METRICS_OPERATION_NAMES: commaList
    .pipe(z.array(z.string().regex(/^[_A-Za-z][_0-9A-Za-z]*$/, 'each must be a GraphQL operation name')))
    .default([]),
  /**
   * How often the event-loop delay gauges sample: each sample wakes an idle process, and each
   * value they report is this interval plus the delay (so a change shifts every reading).
   */
  METRICS_EVENT_LOOP_RESOLUTION_MS: integerSetting(1, 10_000).default(DEFAULT_EVENT_LOOP_RESOLUTION_MS),
  /** Unset by default: the served area is then the townships of the enforcement system's reference data. */
  SERVED_JURISDICTION: servedJurisdictionSetting.optional(),
  /** Read here only to refuse a misspelling: `NODE_ENV=prod` would silently skip the production checks below. */
  NODE_ENV: choiceSetting(['development', 'production', 'test']).optional(),
  /** The OpenTelemetry kill switch (tracing-switch.ts); `yes` would leave tracing on without a word. */
  OTEL_SDK_DISABLED: z
    .string()
    .transform((value) => value.trim().toLowerCase())
    .pipe(choiceSetting(['true', 'false']))
    .optional(),
});

export interface UpstreamSettings {
  /** Base URL of the agency system; undefined means "start the bundled simulator" (unless `exchangeDbUrl`). */
  baseUrl: string | undefined;
  /** Its 前置库 exchange database (`mysql://…`), read instead of an HTTP API; credit only, for now. */
  exchangeDbUrl?: string;
  /**
   * Set only when the environment says so (UPSTREAM_*); then they win over every source's profile.
   * Unset, the profile's `resilience:` applies, then the defaults (see connectors' effectiveResilience).
   */
  timeoutMs?: number;
  retries?: number;
  /** Bound on a whole call to the agency, retries and queueing included; unset: the effective timeout. */
  deadlineMs?: number;
  maxConcurrent?: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  /** MANAGEMENT_PORT / MANAGEMENT_HOST: where /healthz, /readyz and /metrics are served apart; null: on PORT. */
  management: { port: number; host: string } | null;
  databaseUrl: string | undefined;
  /** Connection, per-statement and migration timeouts for PostgreSQL (PGlite runs in-process and needs none). */
  databaseTimeouts: StoreTimeouts;
  /** How many PostgreSQL connections each kind of work may hold. */
  databasePools: StorePools;
  dataDir: string;
  logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  upstreams: Record<AgencySystem, UpstreamSettings>;
  /** Further sources of a system, each configured by its profile alone (EXTRA_PROFILES_DIR). */
  extraSources: ExtraSource[];
  registrySyncIntervalMs: number;
  /** How often the loop index follows the four agencies' change feeds; 0 keeps it off. */
  loopIndexSyncIntervalMs: number;
  queryLimits: QueryLimits;
  /** Schema introspection (the IDE needs it); explicit, because Apollo turns it off under NODE_ENV=production. */
  introspection: boolean;
  /**
   * Bearer tokens, sharing rules and the access log. On by default; off only for development and
   * benchmarks, never under NODE_ENV=production.
   */
  authRequired: boolean;
  auth: AuthConfig;
  /** Signing, sending and retrying pushed events' webhooks (WEBHOOK_* variables). */
  webhooks: WebhookConfig;
  /** Writing clue transfers to the enforcement system (TRANSFER_DELIVERY_* variables). */
  transferDelivery: TransferDeliveryConfig;
  /** Requests per caller (token subject; client address while authentication is off). */
  rateLimit: RateLimitSettings;
  /** Reverse proxies whose X-Forwarded-For gives the client's address (TRUST_PROXY); empty: the socket's. */
  trustedProxies: string[];
  /** HTTP_MAX_CONNECTIONS: client connections open at once; past it a new one is closed on arrival. */
  httpMaxConnections: number;
  simulator: { scale: number; seed: number };
  /** A holiday calendar file replacing the bundled reference-data/holidays-cn.json (official holidays and 调休). */
  holidayCalendarPath: string | undefined;
  /** Working days an owning authority has to answer a sharing request (共享申请). */
  sharingRequestAnswerWorkingDays: number;
  /** A credit-check rules file replacing the bundled reference-data/credit-check-rules.json. */
  creditCheckRulesPath: string | undefined;
  /** `console`: browsers may send only the web console's committed operations. */
  trustedDocuments: 'off' | 'console';
  /** Benchmark only (LOADER_BATCHING=off): false sends one upstream request per record. Never turn off in service. */
  loaderBatching: boolean;
  /** GRAPHQL_JIT_AFTER: graphql-js executions of a query before graphql-jit compiles it; null: never compiled. */
  jitAfter: number | null;
  /** On SIGTERM the process drains and exits 0 within this; past it, it exits 1. */
  shutdownGraceMs: number;
  /** Features switched off (MODULES_DISABLED): not in the schema, no routes, no workers. */
  modulesDisabled: ReadonlySet<OptionalModule>;
  /** METRICS_OPERATION_NAMES: operation names labelled by name in the metrics besides the console's. */
  metricsOperationNames: readonly string[];
  /** METRICS_EVENT_LOOP_RESOLUTION_MS: the sampling interval of `nodejs_eventloop_lag_*`. */
  metricsEventLoopResolutionMs: number;
  /** SERVED_JURISDICTION: the divisions owner standing is judged against; unset, the reference data's townships. */
  servedJurisdiction: readonly string[] | undefined;
}

/** Reads the configuration, naming every bad variable at once rather than failing on the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const e = readSettings(environment, env);
  const auth = loadAuthConfig(env);
  refuseDemoSettingsInProduction(env, e.AUTH_REQUIRED, auth);
  const upstream = (baseUrl: string | undefined): UpstreamSettings => ({
    baseUrl,
    timeoutMs: e.UPSTREAM_TIMEOUT_MS,
    retries: e.UPSTREAM_RETRIES,
    deadlineMs: e.UPSTREAM_DEADLINE_MS,
    maxConcurrent: e.UPSTREAM_MAX_CONCURRENCY,
  });
  if (e.CREDIT_URL && e.CREDIT_EXCHANGE_DB_URL) {
    throw new Error('Invalid configuration:\n  CREDIT_EXCHANGE_DB_URL: set it or CREDIT_URL, not both');
  }
  const fileLimit = openFileLimit();
  if (e.HTTP_MAX_CONNECTIONS !== undefined && fileLimit !== null && e.HTTP_MAX_CONNECTIONS >= fileLimit) {
    throw new Error(
      `Invalid configuration:\n  HTTP_MAX_CONNECTIONS: ${e.HTTP_MAX_CONNECTIONS} is not below the process's open-file limit (ulimit -n: ${fileLimit}); the descriptors would run out first, and the gateway's own agency calls and store files with them`,
    );
  }
  if (e.MANAGEMENT_HOST !== undefined && e.MANAGEMENT_PORT === undefined) {
    throw new Error(
      `Invalid configuration:\n  MANAGEMENT_HOST="${e.MANAGEMENT_HOST}": must be set only with MANAGEMENT_PORT, the port it is for`,
    );
  }
  if (e.MANAGEMENT_PORT !== undefined && e.MANAGEMENT_PORT !== 0 && e.MANAGEMENT_PORT === e.PORT) {
    throw new Error(
      `Invalid configuration:\n  MANAGEMENT_PORT="${e.MANAGEMENT_PORT}": must differ from PORT; the operator's endpoints need a port of their own`,
    );
  }
  const webhooks = loadWebhookConfig(env);
  const transferDelivery = loadTransferDeliveryConfig(env);
  // The HTTP drain gets what the two delivery workers' own graces (they stop one after the other)
  // and a second for the rest leave of the shutdown budget.
  if (e.SHUTDOWN_GRACE_MS <= webhooks.stopGraceMs + transferDelivery.stopGraceMs + 1000) {
    throw new Error(
      'Invalid configuration:\n  SHUTDOWN_GRACE_MS: must exceed WEBHOOK_STOP_GRACE_MS + TRANSFER_DELIVERY_STOP_GRACE_MS by more than 1000 ms',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    management: e.MANAGEMENT_PORT === undefined ? null : { port: e.MANAGEMENT_PORT, host: e.MANAGEMENT_HOST ?? e.HOST },
    databaseUrl: e.DATABASE_URL,
    databaseTimeouts: {
      connectMs: e.DATABASE_CONNECT_TIMEOUT_MS,
      queryMs: e.DATABASE_QUERY_TIMEOUT_MS,
      backgroundQueryMs: e.DATABASE_BACKGROUND_QUERY_TIMEOUT_MS,
      migrationMs: e.DATABASE_MIGRATION_TIMEOUT_MS,
      startWaitMs: e.DATABASE_START_WAIT_MS,
    },
    databasePools: { requests: e.DATABASE_POOL_SIZE, background: e.DATABASE_BACKGROUND_POOL_SIZE },
    dataDir: e.DATA_DIR,
    logLevel: e.LOG_LEVEL,
    upstreams: {
      approval: upstream(e.APPROVAL_URL),
      supervision: upstream(e.SUPERVISION_URL),
      enforcement: upstream(e.ENFORCEMENT_URL),
      credit: { ...upstream(e.CREDIT_URL), exchangeDbUrl: e.CREDIT_EXCHANGE_DB_URL },
    },
    extraSources: e.EXTRA_PROFILES_DIR ? loadExtraSources(e.EXTRA_PROFILES_DIR, env) : [],
    registrySyncIntervalMs: e.REGISTRY_SYNC_INTERVAL_MS,
    loopIndexSyncIntervalMs: e.LOOP_INDEX_SYNC_INTERVAL_MS,
    queryLimits: {
      maxDepth: e.QUERY_MAX_DEPTH,
      maxAliases: e.QUERY_MAX_ALIASES,
      maxCost: e.QUERY_MAX_COST,
      maxTokens: e.QUERY_MAX_TOKENS,
    },
    introspection: e.GRAPHQL_INTROSPECTION,
    authRequired: e.AUTH_REQUIRED,
    auth,
    webhooks,
    transferDelivery,
    rateLimit: {
      perMinute: e.RATE_LIMIT_PER_MINUTE,
      authFailuresPerMinute: e.AUTH_FAILURE_LIMIT_PER_MINUTE,
      redisUrl: e.RATE_LIMIT_REDIS_URL,
    },
    trustedProxies: e.TRUST_PROXY,
    httpMaxConnections: e.HTTP_MAX_CONNECTIONS ?? defaultMaxConnections(fileLimit),
    simulator: { scale: e.SIMULATOR_SCALE, seed: e.SIMULATOR_SEED },
    holidayCalendarPath: e.HOLIDAY_CALENDAR_PATH,
    sharingRequestAnswerWorkingDays: e.SHARING_REQUEST_ANSWER_WORKING_DAYS,
    creditCheckRulesPath: e.CREDIT_CHECK_RULES_PATH,
    modulesDisabled: new Set(e.MODULES_DISABLED),
    loaderBatching: e.LOADER_BATCHING === 'on',
    jitAfter: e.GRAPHQL_JIT_AFTER === 'off' ? null : e.GRAPHQL_JIT_AFTER,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    trustedDocuments: e.TRUSTED_DOCUMENTS,
    metricsOperationNames: e.METRICS_OPERATION_NAMES,
    metricsEventLoopResolutionMs: e.METRICS_EVENT_LOOP_RESOLUTION_MS,
    servedJurisdiction: e.SERVED_JURISDICTION,
  };
}

/**
 * A production gateway must check tokens against a real identity platform: with AUTH_REQUIRED off
 * anyone reads everything, and the demo issuer's keys lie in a data folder anyone with a shell can
 * read. Both are refused at start rather than discovered in an audit.
 */
function refuseDemoSettingsInProduction(env: NodeJS.ProcessEnv, authRequired: boolean, auth: AuthConfig): void {
  if (env.NODE_ENV !== 'production') return;
  const problems = [
    ...(authRequired ? [] : ['  AUTH_REQUIRED: must be true under NODE_ENV=production']),
    ...(trustsDemoIssuer(auth)
      ? [
          '  AUTH_ISSUERS: must name the identity platform under NODE_ENV=production (the demo issuer is for development only)',
        ]
      : []),
  ];
  if (problems.length > 0) throw new Error(`Invalid configuration:\n${problems.join('\n')}`);
}
