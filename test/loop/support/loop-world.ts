import pino from 'pino';
import { startSimulators } from '../../../simulators/index.ts';
import type { ManifestEntry, World } from '../../../simulators/index.ts';
import { createConnectors, type Connectors } from '../../../src/connectors/index.ts';
import type { AgencySystem } from '../../../src/domain/types.ts';
import { loadWorkingDayCalendar } from '../../../src/platform/holiday-calendar-file.ts';
import type { EventPublisher } from '../../../src/modules/events/loop-event.ts';
import { ReferenceCache } from '../../../src/modules/subjects/reference-cache.ts';
import { servedAreaSource, type ServedAreaSource } from '../../../src/modules/access/index.ts';
import {
  createLoopServices,
  type LoopServices,
  type LoopServicesDependencies,
} from '../../../src/modules/loop/loop-services.ts';
import type { LoopGap, LoopGapKind } from '../../../src/modules/loop/loop-gaps.ts';
import { createMetrics } from '../../../src/platform/metrics.ts';
import { RegistrySync } from '../../../src/modules/registry/registry-sync.ts';
import { openStore, type Store } from '../../../src/platform/store/open-store.ts';
import { SubjectRegistry } from '../../../src/modules/registry/subject-registry.ts';

export interface LoopWorldOptions {
  seed: number;
  scale?: number;
  /** The day the world is seen from (`YYYY-MM-DD`); the generator's default unless given. */
  asOf?: string;
  /** Builds the events publisher once the store is open (e.g. the real outbox). */
  publisher?: (store: Store) => EventPublisher;
  /** Further events of penalty and credit-record pages, built over the connectors and the served area (e.g. the credit check's). */
  moreEvents?: (connectors: Connectors, servedArea: ServedAreaSource) => LoopServicesDependencies['moreEvents'];
}

/**
 * A simulated world, a fresh in-memory store, the subject registry and the loop index synced
 * from the simulators over real HTTP, and the loop services over them; deadlines are measured
 * against the world's asOf.
 */
export async function startLoopWorld(options: LoopWorldOptions) {
  const simulators = await startSimulators({ seed: options.seed, scale: options.scale ?? 1, asOf: options.asOf });
  const store = await openStore({ dataDir: 'memory://' });
  const logger = pino({ level: 'silent' });
  const upstream = (system: AgencySystem) => ({ baseUrl: simulators.urls[system], timeoutMs: 10_000, retries: 2 });
  const connectors: Connectors = createConnectors(
    {
      approval: upstream('approval'),
      supervision: upstream('supervision'),
      enforcement: upstream('enforcement'),
      credit: upstream('credit'),
    },
    createMetrics(),
    logger,
  );
  await new RegistrySync(
    new SubjectRegistry(store.prisma),
    [connectors.approval, connectors.credit],
    logger,
  ).syncOnce();
  const reference = new ReferenceCache(connectors.enforcement);
  const servedArea = servedAreaSource(undefined, () => reference.latest());
  const loop: LoopServices = createLoopServices({
    prisma: store.prisma,
    connectors,
    reference,
    servedArea,
    calendar: loadWorkingDayCalendar(),
    logger,
    publisher: options.publisher?.(store),
    today: () => simulators.world.asOf,
    moreEvents: options.moreEvents?.(connectors, servedArea),
  });
  await loop.sync.syncOnce();
  return {
    simulators,
    world: simulators.world,
    store,
    loop,
    connectors,
    async close() {
      await loop.sync.stop();
      await store.close();
      await simulators.close();
    },
  };
}

export type LoopWorld = Awaited<ReturnType<typeof startLoopWorld>>;

/** The reference each planted break is known by, as `refs` in the manifest names it. */
const PRIMARY_REF: Readonly<Record<LoopGapKind, string>> = {
  COMMITMENT_NOT_VERIFIED: 'permitNo',
  VIOLATION_NOT_TRANSFERRED: 'inspectionId',
  CLUE_UNANSWERED: 'clueId',
  PENALTY_NOT_PUBLISHED: 'decisionNo',
  PERMIT_VALID_AFTER_REVOCATION: 'decisionNo',
  PUBLICITY_OVERDUE: 'recordId',
};

/** `KIND|record|subject` of each planted break. */
export function plantedKeys(world: World): string[] {
  return world.manifest.map((m: ManifestEntry) => `${m.kind}|${m.refs[PRIMARY_REF[m.kind]]}|${m.subjectUscc}`).sort();
}

export function gapKeys(gaps: readonly LoopGap[]): string[] {
  return gaps.map((g) => `${g.kind}|${g.recordId}|${g.subjectUscc}`).sort();
}

/** Every page of loopGaps, county-wide, as the service returns them. */
export async function allGaps(world: LoopWorld, pageSize = 200): Promise<LoopGap[]> {
  const gaps: LoopGap[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await world.loop.gaps.list({}, pageSize, after, null);
    gaps.push(...page.items);
    if (!page.hasNextPage) return gaps;
    after = page.endCursor;
  }
}
