import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import type { Logger } from 'pino';
import type { Connectors, ConnectorsReporting } from './connectors/index.ts';
import type { GatewayContext } from './context.ts';
import type { Authenticator } from './http/authenticate.ts';
import { requestPurpose } from './http/purpose-header.ts';
import { requestIdOf, requestLogHandle } from './http/request-id.ts';
import { RequestWarnings } from './http/request-warnings.ts';
import { createLoaders, type LoaderDependencies, type Loaders } from './modules/subjects/create-loaders.ts';
import type { ReferenceCache } from './modules/subjects/reference-cache.ts';
import { withinJurisdiction } from './modules/access/jurisdiction.ts';
import { RequestPermissions } from './modules/access/request-permissions.ts';
import type { ServedAreaSource } from './modules/access/served-area-source.ts';
import type { SharingDeclaration } from './modules/access/sharing-declarations.ts';
import type { AccessLog } from './modules/audit/access-log.ts';
import { asStoreUnavailable } from './platform/store/store-unavailable.ts';
import type { GrantStore } from './modules/access/grant-store.ts';
import type { SubjectRegistry } from './modules/registry/subject-registry.ts';
import type { GatewayModule } from './platform/gateway-module.ts';
import { RequestParts } from './request-parts.ts';

export interface ContextDependencies {
  connectors: Connectors & ConnectorsReporting;
  registry: SubjectRegistry;
  reference: ReferenceCache;
  /** Where the gateway serves: the caller's owner standing is judged against it. */
  servedArea: ServedAreaSource;
  declarations: ReadonlyMap<string, SharingDeclaration>;
  /** The modules switched on; each adds what its resolvers need to every request's context. */
  modules: readonly GatewayModule<GatewayContext>[];
  /** False only for the benchmark's naive variant (LOADER_BATCHING=off). */
  loaderBatching?: boolean;
  /** Absent while authentication is off: every caller is anonymous and sees every field. */
  access?: { authenticator: Authenticator; grants: GrantStore; accessLogReader: AccessLog };
}

/**
 * Builds each GraphQL request's context, the one place it is built: fresh loaders, what each
 * module adds, and with authentication on the caller, the matter they work on, the grants in
 * force for them, and their jurisdiction filter.
 */
export function createContextFactory({
  connectors,
  registry,
  reference,
  servedArea,
  declarations,
  modules,
  access,
  loaderBatching,
}: ContextDependencies) {
  const contributing = modules.flatMap((module) => (module.context ? [module.context] : []));
  return async (req: Request): Promise<GatewayContext> => {
    const subjectsTouched = new Set<string>();
    const warnings = new RequestWarnings();
    // Read before anything else: it throws if the authenticator did not run for this request.
    const principal = access?.authenticator.principalOf(req);
    const log = requestLogHandle(req);
    const loaderDependencies = (): LoaderDependencies => ({
      connectors: connectors.reportingTo(warnings),
      registry,
      reference,
      logger: log.logger,
      batching: loaderBatching,
      unavailableSources: warnings.unavailableSources,
      onSubject: (uscc: string) => subjectsTouched.add(uscc),
      // Loaders are made on first use, once the modules have filled the context (the registry's feeds among them).
      onRegistryRead: async () => {
        if (context.registryFeeds) await warnings.readingCopy('subject registry', context.registryFeeds);
      },
      ...(principal ? { visibleTownship: (township: string) => withinJurisdiction(principal, township) } : {}),
    });
    // One object, filled in place: what each module adds, then what every request has (which a
    // module cannot override), then with authentication on the caller and their sharing rules.
    // Nothing here closes over `req` (request-parts.ts says why).
    const parts = new RequestParts(req, log, () => createLoaders(loaderDependencies()));
    const context: Partial<GatewayContext> & ContextWithParts = Object.create(lazyGetters) as ContextWithParts;
    context[partsKey] = parts;
    for (const contribute of contributing) Object.assign(context, contribute(req));
    context.registry = registry;
    context.requestId = requestIdOf(req);
    context.subjectsTouched = subjectsTouched;
    context.warnings = warnings;
    if (!access || !principal) return context as GatewayContext;
    // For the access log alone; read now, not when its entry is written: a client gone by then has no address.
    context.clientAddress = req.ip;
    context.noteAccessLogged = parts.noteAccessLogged;

    // A purpose stated badly is refused (400), never read as "no purpose" or logged as sent.
    const purpose = requestPurpose(req, principal.purpose);
    // Owner standing needs the caller's jurisdiction to reach the area the gateway serves, and holds
    // on every row only for one covering it all (a township team's: its township's rows alone).
    // While that is unknown nobody reads as an owner (refused, never leaked), and the answer says why.
    const area = await servedArea();
    const reachesServedArea = area?.reaches(principal.jurisdictionCode) ?? false;
    const coversServedArea = area?.covers(principal.jurisdictionCode) ?? false;
    // Only grants covering this matter and the caller's roles open anything; a caller of another
    // county only those naming it (a grant to a kind is an agreement with the kind here).
    // The store reads before any plugin runs: an outage here must be a 503, not a 500.
    const granted = (addressedByKind: boolean) =>
      access.grants.grantedCoordinates(principal, purpose, new Date(), { addressedByKind }).catch((error: unknown) => {
        throw asStoreUnavailable(error);
      });
    const grantedFields = await granted(reachesServedArea);
    context.principal = principal;
    context.permissions = new RequestPermissions(
      { principal, purpose, grantedFields, reachesServedArea, coversServedArea },
      declarations,
    );
    // Said to every caller alike while it lasts: a warning raised only where a decision changed
    // would tell a caller of another county which records hold the fields it is refused.
    if (area === null) warnings.ownerStandingUnavailable();
    context.administration = { grants: access.grants, accessLog: access.accessLogReader };
    return context as GatewayContext;
  };
}

/**
 * Drops the request's loaders, and the agency records their caches hold, once its execution has
 * ended: the answer may still wait for its access-log commit, and at saturation what a request
 * holds that long is copied by every scavenge meanwhile (bench/notes/listgc.md). A later read of
 * `loaders` throws rather than building fresh ones: graphql-js settles an operation as soon as a
 * non-null field fails while sibling resolvers still run, and those must not call the agencies
 * again after the answer (nor add subjects the access-log entry, already built, does not name).
 */
export function letGoOfLoaders(context: unknown): void {
  (context as Partial<ContextWithParts> | undefined)?.[partsKey]?.letGoOfLoaders();
}

/**
 * An Apollo plugin: each operation's response (its data until written) is let go of with the rest
 * of its request once the answer has been sent (request-parts.ts, `releasedOnceAnswered`).
 */
export function answersReleasedWithRequest(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart({ contextValue, response }) {
      (contextValue as Partial<ContextWithParts>)[partsKey]?.answersWith(response);
    },
  };
}

const partsKey = Symbol('request parts');

interface ContextWithParts {
  [partsKey]: RequestParts;
  readonly loaders: Loaders;
  readonly logger: Logger;
}

/**
 * The loaders and the request's child logger are made on first use, once per request: a refused
 * document, a `checkUscc` or an administrative field never reads an agency nor logs, and making
 * them was a measurable part of such a request's CPU (bench/RESULTS-fixedcost.notes.md).
 *
 * The getters live on a shared prototype, not on the context: Apollo hands resolvers a copy of
 * the context (`Object.assign` onto an object of the same prototype), and copying an own getter
 * calls it, which built the loaders for every request. The parts are an own symbol property, so
 * the copy shares them and both see the same loaders.
 */
const lazyGetters = {
  get loaders(): Loaders {
    return (this as unknown as ContextWithParts)[partsKey].loaders();
  },
  get logger(): Logger {
    return (this as unknown as ContextWithParts)[partsKey].logger();
  },
};
