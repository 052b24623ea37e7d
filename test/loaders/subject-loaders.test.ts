import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../simulators/index.ts';
import { createConnectors } from '../../src/connectors/index.ts';
import { createLoaders } from '../../src/modules/subjects/create-loaders.ts';
import { ReferenceCache } from '../../src/modules/subjects/reference-cache.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { openStore, type Store } from '../../src/platform/store/open-store.ts';
import { SubjectRegistry } from '../../src/modules/registry/subject-registry.ts';

/** The registry is empty here (never synced), so every subject must come from the approval platform. */
let simulators: Simulators;
let store: Store;
let loaders: ReturnType<typeof createLoaders>;
beforeAll(async () => {
  simulators = await startSimulators({ scale: 1, seed: 42 });
  store = await openStore({ dataDir: 'memory://' });
  const upstream = (baseUrl: string) => ({ baseUrl, timeoutMs: 2000, retries: 0 });
  const connectors = createConnectors(
    {
      approval: upstream(simulators.urls.approval),
      supervision: upstream(simulators.urls.supervision),
      enforcement: upstream(simulators.urls.enforcement),
      credit: upstream(simulators.urls.credit),
    },
    createMetrics(),
  );
  loaders = createLoaders({
    connectors,
    registry: new SubjectRegistry(store.prisma),
    reference: new ReferenceCache(connectors.enforcement),
    logger: createLogger({ level: 'silent' }),
  });
});
afterAll(async () => {
  await store?.close();
  await simulators?.close();
});

describe('subject loaders', () => {
  it('find a subject the registry has not synced yet by its USCC, upstream', async () => {
    const enterprise = simulators.world.enterprises[3]!;
    expect(await loaders.subjectByUscc.load(enterprise.uscc)).toEqual({
      uscc: enterprise.uscc,
      legacyRegNo: enterprise.legacyRegNo,
      name: enterprise.name,
      townshipCode: enterprise.townshipCode,
    });
  });

  it('resolve a legacy registration number the registry has not synced yet, upstream', async () => {
    const enterprise = simulators.world.enterprises.find((e) => e.legacyRegNo !== null)!;
    expect((await loaders.subjectByLegacyRegNo.load(enterprise.legacyRegNo!))?.uscc).toBe(enterprise.uscc);
  });

  it('answer null for a code no agency knows', async () => {
    expect(await loaders.subjectByUscc.load('91330381MA2XXXXX0Y')).toBeNull();
  });

  it('still answer from the approval platform when the registry cannot be read', async () => {
    await store.close();
    const enterprise = simulators.world.enterprises[11]!;
    expect((await loaders.subjectByUscc.load(enterprise.uscc))?.name).toBe(enterprise.name);
  });
});
