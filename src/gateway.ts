import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { startSimulators } from '../simulators/index.ts';
import type { GatewayConfig } from './platform/config.ts';
import { DEMO_EXAMPLE_SUBJECT, exampleQuery, exampleQueryFor, examplePreset } from './example-query.ts';
import { loadTrustedDocuments } from './http/trusted-documents.ts';
import { metricOperationNames } from './http/operation-metric-names.ts';
import { createConnectors, redactDatabaseUrl, type SystemConfig } from './connectors/index.ts';
import { AGENCY_SYSTEMS, type AgencySystem } from './domain/types.ts';
import {
  createTokenVerifier,
  refuseRevokedTokens,
  signDemoToken,
  trustsDemoIssuer,
  type Principal,
} from './auth/index.ts';
import { cacheVerifiedTokens } from './auth/verified-token-cache.ts';
import { callerKey, createAuthenticator } from './http/authenticate.ts';
import { createHttpDrain } from './http/http-drain.ts';
import { REQUEST_TIME_LIMITS } from './http/request-time-limits.ts';
import { capConnections } from './http/connection-cap.ts';
import { listen } from './http/listen.ts';
import { startManagementServer } from './http/management-server.ts';
import { expressBornMessages } from './http/express-born-messages.ts';
import { authenticationRefusalRecorder } from './http/authentication-refusals.ts';
import { createRateLimiter } from './http/rate-limit.ts';
import { earlyRefusalRecorder, type RecordEarlyRefusal } from './http/early-refusals.ts';
import { AccessLog } from './modules/audit/access-log.ts';
import { AccessLogWriter } from './modules/audit/access-log-writer.ts';
import { CachedGrantStore } from './modules/access/cached-grant-store.ts';
import type { GrantStore } from './modules/access/grant-store.ts';
import { grantableFieldProblems } from './modules/access/grantable-fields.ts';
import { readSharingDeclarations } from './modules/access/sharing-declarations.ts';
import { servedAreaSource } from './modules/access/served-area-source.ts';
import { createEventDelivery, type EventDelivery } from './modules/events/event-delivery.ts';
import { createLogger } from './platform/logger.ts';
import { createMetrics } from './platform/metrics.ts';
import { RegistrySync } from './modules/registry/registry-sync.ts';
import { chinaToday } from './domain/china-time.ts';
import { creditCheckEvents, startCreditCheck } from './modules/credit-check/index.ts';
import { declarationSchema } from './schema-type-defs.ts';
import { loadWorkingDayCalendar } from './platform/holiday-calendar-file.ts';
import { ReferenceCache } from './modules/subjects/reference-cache.ts';
import { createLoopServices, type LoopServices } from './modules/loop/loop-services.ts';
import { registerLoopIndexMetrics } from './modules/loop/loop-metrics.ts';
import { registerHolidayCalendarMetrics, warnIfCalendarEndsSoon } from './platform/holiday-calendar-coverage.ts';
import { createServer } from './server.ts';
import { answerClientErrors, refuseRequestsWithoutHost } from './http/client-errors.ts';
import { createTransfers, type RunningTransfers } from './modules/transfers/start-transfers.ts';
import { openStore, type Store } from './platform/store/open-store.ts';
import { SharingRequestService } from './modules/sharing-requests/index.ts';
import { SubjectRegistry } from './modules/registry/subject-registry.ts';
import type { GatewayContext } from './context.ts';
import { startModules, type GatewayModule } from './platform/gateway-module.ts';
import { accessModule } from './modules/access/module.ts';
import { administrationModule } from './modules/administration/module.ts';
import { auditModule } from './modules/audit/module.ts';
import { creditCheckModule } from './modules/credit-check/module.ts';
import { eventsModule } from './modules/events/module.ts';
import { loopModule } from './modules/loop/module.ts';
import { registryModule } from './modules/registry/module.ts';
import { sharingRequestsModule } from './modules/sharing-requests/module.ts';
import { subjectsModule } from './modules/subjects/module.ts';
import { ROW_PLACES } from './modules/subjects/index.ts';
import { transfersModule } from './modules/transfers/module.ts';
import { createTokenRevocations, revocationModule } from './modules/revocation/index.ts';

export interface RunningGateway {
  url: string;
  /** Where /healthz, /readyz and /metrics are served apart (MANAGEMENT_PORT); null: on `url`. */
  managementUrl: string | null;
  /** Base URLs of the agency systems in use (the bundled simulators when none were configured). */
  upstreams: Record<AgencySystem, string>;
  simulators: Awaited<ReturnType<typeof startSimulators>> | null;
  /** The query the IDE opens with and `npm start` prints: an enterprise of the bundled world when there is one. */
  exampleQuery: string;
  registrySync: RegistrySync;
  /** The gateway's own store (registry, grants, access log), for administration tooling and tests. */
  store: Store;
  /** The sharing agreements in force, while authentication is on (until admin mutations exist). */
  grants: GrantStore | null;
  /** Pushed events (精准推送): producers publish through `events.publisher`; the dispatcher runs while the gateway does. */
  events: EventDelivery;
  /** The loop index (its sync runs when LOOP_INDEX_SYNC_INTERVAL_MS > 0) and the loop gaps and assessment over it. */
  loop: LoopServices;
  /** Clue transfers and their delivery to the enforcement system. */
  transfers: RunningTransfers;
  close(): Promise<void>;
  /**
   * Graceful stop on SIGTERM, within `graceMs`: readiness fails at once, keep-alive connections
   * close after their current response, requests received are answered, then everything stops as
   * in `close` (background workers hand back their leases).
   */
  shutdown(graceMs: number): Promise<void>;
}

/**
 * Starts everything the configuration asks for: the store (migrated), the bundled simulators
 * for agencies without a configured URL, the connectors, a first registry sync, and the HTTP
 * server. Closing stops them in reverse order.
 */
export async function startGateway(config: GatewayConfig): Promise<RunningGateway> {
  const logger = createLogger({ level: config.logLevel });
  // Whatever has started is stopped in reverse order, on close or when a later step fails.
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => logger.error({ err: error }, 'error while shutting down'));
    }
  };
  try {
    const store = await openStore({
      databaseUrl: config.databaseUrl,
      timeouts: config.databaseTimeouts,
      pools: config.databasePools,
      onHealthChange: ({ up, error }) =>
        up
          ? logger.warn('the store answers again; serving')
          : logger.error({ err: error }, 'the store does not answer; refusing what needs it until it does'),
      onStartWait: (said, retryInMs) => logger.warn({ retryInMs }, said),
      dataDir: config.dataDir === 'memory://' ? 'memory://' : `${config.dataDir}/pglite`,
    });
    stops.push(() => store.close());

    const exchangeDb = config.upstreams.credit.exchangeDbUrl;
    const needsSimulators = AGENCY_SYSTEMS.some(
      (system) => !config.upstreams[system].baseUrl && !(system === 'credit' && exchangeDb),
    );
    // The simulated world is loaded only when an agency has no configured URL: production never imports it.
    // With a credit 前置库 configured, the simulated credit platform fills it (demo only: never one it did not create).
    const simulated = needsSimulators ? await import('../simulators/index.ts') : null;
    const simulators = simulated
      ? await simulated.startSimulators({
          scale: config.simulator.scale,
          seed: config.simulator.seed,
          creditExchangeDbUrl: exchangeDb,
        })
      : null;
    if (simulators) stops.push(() => simulators.close());
    // The example names an enterprise of the world served, so it answers whatever the seed.
    const exampleSubject = simulators && simulated?.exampleSubject(simulators.world, DEMO_EXAMPLE_SUBJECT.uscc);
    const example = exampleSubject
      ? exampleQueryFor(
          exampleSubject,
          `the bundled simulated world (seed ${config.simulator.seed}, scale ${config.simulator.scale})`,
        )
      : exampleQuery;
    const upstreams = Object.fromEntries(
      AGENCY_SYSTEMS.map((system) => [
        system,
        config.upstreams[system].baseUrl ??
          (system === 'credit' && exchangeDb ? redactDatabaseUrl(exchangeDb) : simulators!.urls[system]),
      ]),
    ) as Record<AgencySystem, string>;

    const metrics = createMetrics({ eventLoopResolutionMs: config.metricsEventLoopResolutionMs });
    // Made before the events module: webhook deliveries are written to the same access log as answers.
    const accessLog = new AccessLog(store.prisma, {
      executeStatement: store.executeStatement,
      oneConnection: store.kind === 'pglite',
    });
    const accessLogWriter = new AccessLogWriter(accessLog, {
      gatherArrivedRequests: true,
      onStateChange: ({ writing, error }) =>
        writing
          ? logger.warn('access log writable again; answering')
          : logger.error({ err: error }, 'access log cannot be written; every answer withheld until it can'),
    });
    const events = await createEventDelivery({
      prisma: store.prisma,
      background: store.background,
      config: config.webhooks,
      dataDir: config.dataDir,
      logger,
      accessLog: accessLogWriter,
      metricsRegistry: metrics.registry,
    });
    const connectors = createConnectors(
      Object.fromEntries(
        AGENCY_SYSTEMS.map((system) => [system, { ...config.upstreams[system], baseUrl: upstreams[system] }]),
      ) as Record<AgencySystem, SystemConfig>,
      metrics,
      logger,
      // Outside a request (registry sync, loop index sync, transfers) drops and failed sources are
      // only logged and counted; a request's loaders use these connectors `reportingTo` its warnings.
      undefined,
      { extraSources: config.extraSources },
    );
    stops.push(() => connectors.close());
    const registry = new SubjectRegistry(store.prisma);
    // On PGlite the registry learns its version from the trigger's notifications; on PostgreSQL
    // it reads it per search, as another gateway's change could still be on its way.
    if (store.listenInProcess) stops.push(await registry.followVersion(store.listenInProcess));
    if (store.queryRows) registry.readVersionWith(store.queryRows);
    // The sync writes through a registry of its own on the background client (the same one on PGlite).
    const syncedRegistry = store.background === store.prisma ? registry : new SubjectRegistry(store.background);
    const registrySync = new RegistrySync(syncedRegistry, [connectors.approval, connectors.credit], logger);
    // Started before the other modules are even assembled, as the only load on the agencies: they
    // read the registry, and a first sync competing with their own start-up reads times out.
    // The gateway still serves while the registry lags: subjects it lacks are looked up upstream.
    const registryFirst = registryModule(registrySync, config.registrySyncIntervalMs, logger);
    await startModules([registryFirst], stops);

    // One copy of the reference data and of the holiday calendar for every service.
    const reference = new ReferenceCache(connectors.enforcement);
    // Loaded now, not by the first request: without SERVED_JURISDICTION every request's owner
    // standing is judged by its divisions, and until they load nobody reads as an owner.
    reference.get().catch((error: unknown) => {
      if (!config.servedJurisdiction)
        logger.warn(
          { err: error },
          'reference data could not be loaded: owner standing unavailable until it loads (or set SERVED_JURISDICTION)',
        );
    });
    // The one place requests, webhook receivers, credit-check events and sharing requests ask where the gateway serves.
    const servedArea = servedAreaSource(config.servedJurisdiction, () => reference.latest());
    const calendar = loadWorkingDayCalendar(config.holidayCalendarPath);
    registerHolidayCalendarMetrics(metrics.registry, calendar);
    warnIfCalendarEndsSoon(calendar, chinaToday(), logger);
    const creditCheck = startCreditCheck(declarationSchema(), config.creditCheckRulesPath);

    // Transfers waiting for the enforcement system stay queued in the store across a restart.
    const transfers = createTransfers({
      prisma: store.prisma,
      background: store.background,
      connectors,
      registry,
      logger,
      reference,
      servedArea,
      calendar,
      publisher: events.publisher,
      delivery: config.transferDelivery,
      metricsRegistry: metrics.registry,
    });

    const creditCheckChanges = creditCheckEvents({ service: creditCheck, connectors, servedArea });
    const loop = createLoopServices({
      moreEvents: { penalties: creditCheckChanges.ofPenalties, creditRecords: creditCheckChanges.ofCreditRecords },
      prisma: store.prisma,
      background: store.background,
      storeKind: store.kind,
      connectors,
      reference,
      servedArea,
      calendar,
      logger,
      publisher: events.publisher,
    });
    registerLoopIndexMetrics(metrics.registry, loop.sync);

    // Requests refused before GraphQL (their body, their rate) go to the access log like any other refusal.
    const recordEarlyRefusal: RecordEarlyRefusal = earlyRefusalRecorder(
      accessLogWriter,
      logger,
      (req): Principal | undefined => access?.authenticator.verifiedCallerOf(req),
    );
    // Created before the authenticator, which counts failed authentications in it; the caller key is read per request.
    const rateLimiter = createRateLimiter(
      config.rateLimit,
      (req) => (access ? callerKey(access.authenticator.principalOf(req)) : `address ${req.ip}`),
      logger,
      config.authRequired ? recordEarlyRefusal : undefined,
    );
    stops.push(() => rateLimiter.close());
    await rateLimiter.ready();
    // Loaded and reloaded by its module, which starts before the gateway listens.
    const revocations = config.authRequired ? createTokenRevocations(store, config.auth, logger) : undefined;
    // A demo preset's token as this gateway reads tokens (audience, claim names, longest lifetime).
    const demoToken = trustsDemoIssuer(config.auth)
      ? (preset: string) =>
          signDemoToken(preset, {
            dataDir: config.dataDir,
            audience: config.auth.audience,
            claims: config.auth.claims,
            maxLifetimeSeconds: config.auth.maxTokenLifetimeSeconds,
          })
      : undefined;
    const access = revocations
      ? {
          authenticator: createAuthenticator(
            refuseRevokedTokens(cacheVerifiedTokens(createTokenVerifier(config.auth)), revocations.list),
            {
              failures: rateLimiter.failedAuthentications,
              recordRefusal: authenticationRefusalRecorder(accessLogWriter, logger, config.queryLimits.maxTokens),
              logger,
            },
          ),
          grants: new CachedGrantStore(store.prisma, (fields, owner) =>
            grantableFieldProblems(fields, owner, sharingDeclarations()),
          ),
          accessLog: accessLogWriter,
          recordEarlyRefusal,
          accessLogReader: accessLog,
          schemaOpenToAll: trustsDemoIssuer(config.auth),
          // Only the local demo issuer's token is ever pre-filled in the IDE: signed for each page
          // load, so the page never hands out one that has expired or has been revoked (signed out).
          ideHeaders: demoToken
            ? async () => ({ Authorization: `Bearer ${await demoToken(examplePreset)}` })
            : undefined,
          demoToken,
          consoleOidc: config.auth.consoleOidc,
        }
      : undefined;
    // Approval creates a grant through the same cached store, so it takes effect at once here.
    const sharingRequests = access
      ? new SharingRequestService({
          prisma: store.prisma,
          grants: access.grants,
          authorities: async () => (await reference.get()).authorities,
          servedArea,
          confinedTypes: ROW_PLACES.confined,
          calendar,
          publisher: events.publisher,
          answerWorkingDays: config.sharingRequestAnswerWorkingDays,
        })
      : undefined;

    // Started in this order (after the registry), stopped in reverse; a module switched off is left out whole.
    const everyModule: GatewayModule<GatewayContext>[] = [
      eventsModule(events),
      subjectsModule(),
      accessModule(),
      administrationModule(),
      ...(access ? [auditModule(access.accessLog)] : []),
      ...(revocations ? [revocationModule(revocations)] : []),
      transfersModule(transfers),
      loopModule(loop, config.loopIndexSyncIntervalMs, logger),
      ...(sharingRequests ? [sharingRequestsModule(sharingRequests)] : []),
      creditCheckModule(creditCheck),
    ];
    const disabled: ReadonlySet<string> = config.modulesDisabled;
    const modules = everyModule.filter((module) => !disabled.has(module.name));
    if (config.modulesDisabled.size > 0) logger.info({ disabled: [...config.modulesDisabled] }, 'modules switched off');
    await startModules(modules, stops);
    modules.unshift(registryFirst);

    const messages = expressBornMessages();
    // Host is required of HTTP/1.1 by refuseRequestsWithoutHost, which answers and records it; Node's own check does neither.
    const httpServer = createHttpServer({
      ...messages.serverOptions,
      ...REQUEST_TIME_LIMITS,
      requireHostHeader: false,
    });
    // Every header a request carries is read: by default Node drops those past the 2000th without a
    // word, so a second Authorization or x-purpose, a proxy's X-Forwarded-For or Content-Length sent
    // after 2000 others went unseen. The header section stays bounded by its 16 KB (431 past it).
    httpServer.maxHeadersCount = 0;
    // So a flood of connections cannot take the descriptors the gateway's own calls and files need.
    capConnections(httpServer, { maxConnections: config.httpMaxConnections, logger, registry: metrics.registry });
    answerClientErrors(httpServer, { logger, accessLog: access?.accessLog });
    const httpDrain = createHttpDrain(httpServer);
    const { app, apollo, operatorRouters } = await createServer({
      modules,
      connectors,
      registry,
      reference,
      servedArea,
      pingStore: () => store.ping(),
      metrics,
      logger,
      queryLimits: config.queryLimits,
      introspection: config.introspection,
      access,
      limitRate: rateLimiter.middleware,
      httpServer,
      trustedProxies: config.trustedProxies,
      stopping: httpDrain.draining,
      operatorPortApart: config.management !== null,
      loaderBatching: config.loaderBatching,
      jitAfter: config.jitAfter,
      trustedDocuments: config.trustedDocuments === 'console' ? loadTrustedDocuments() : undefined,
      metricOperationNames: metricOperationNames(config.metricsOperationNames),
      exampleQuery: example,
    });
    // Apollo's drain plugin stops accepting, lets requests in flight finish, then closes the server.
    stops.push(() => apollo.stop());
    messages.bornInto(app);
    httpServer.on('request', refuseRequestsWithoutHost(app, { logger, accessLog: access?.accessLog }));
    await listen(httpServer, config.port, config.host, { port: 'PORT', host: 'HOST' });
    const { port } = httpServer.address() as AddressInfo;
    const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
    logger.info({ url: `${url}/graphql` }, 'gateway listening');
    // While a shutdown drains the callers' port it answers /readyz `stopping`; it closes right after.
    const management =
      config.management && (await startManagementServer({ routers: operatorRouters, logger, ...config.management }));
    if (management) stops.push(() => management.close());

    // The workers' own graces (webhook and transfer deliveries in flight, one after the other) and a
    // second for the rest come after the HTTP drain.
    const shutdown = async (graceMs: number) => {
      const workersMs = config.webhooks.stopGraceMs + config.transferDelivery.stopGraceMs;
      // Said in the operator's log, so a stop reads as one there rather than as output that ends.
      logger.info({ graceMs }, 'stopping: not ready, answering what was received, then background work');
      await httpDrain.drain(Math.max(0, graceMs - workersMs - 1000));
      await stopAll();
      logger.info('stopped');
    };
    return {
      url,
      managementUrl: management?.url ?? null,
      upstreams,
      simulators,
      exampleQuery: example,
      registrySync,
      store,
      grants: access?.grants ?? null,
      events,
      transfers,
      loop,
      close: stopAll,
      shutdown,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

let declarationsOfTheSchema: ReturnType<typeof readSharingDeclarations>['declarations'] | undefined;

/** The schema's `@share` declarations, read once: the SDL does not change while the gateway runs. */
function sharingDeclarations() {
  declarationsOfTheSchema ??= readSharingDeclarations(declarationSchema()).declarations;
  return declarationsOfTheSchema;
}
