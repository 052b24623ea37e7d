import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulators, type Simulators } from '../../simulators/index.ts';
import { createConnectors, type Connectors } from '../../src/connectors/index.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { RegistrySync } from '../../src/modules/registry/registry-sync.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { SubjectRegistry } from '../../src/modules/registry/subject-registry.ts';
import { storeVariants } from '../support/stores.ts';

let simulators: Simulators;
let connectors: Connectors;
beforeAll(async () => {
  simulators = await startSimulators({ scale: 1, seed: 42 });
  const upstream = (baseUrl: string) => ({ baseUrl, timeoutMs: 2000, retries: 1, maxConcurrent: 8 });
  connectors = createConnectors(
    {
      approval: upstream(simulators.urls.approval),
      supervision: upstream(simulators.urls.supervision),
      enforcement: upstream(simulators.urls.enforcement),
      credit: upstream(simulators.urls.credit),
    },
    createMetrics(),
  );
});
afterAll(() => simulators?.close());

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(
    `the subject registry on ${variant.name}, fed by the agencies' change feeds`,
    () => {
      let store: Store;
      let registry: SubjectRegistry;
      let sync: RegistrySync;
      beforeAll(async () => {
        store = await variant.open();
        registry = new SubjectRegistry(store.prisma);
        sync = new RegistrySync(registry, [connectors.approval, connectors.credit], createLogger({ level: 'silent' }));
      });
      afterAll(async () => {
        await store?.close();
        await variant.dispose();
      });

      it('holds every enterprise of both feeds after the first sync, legacy numbers included', async () => {
        const counts = await sync.syncOnce();
        const world = simulators.world;
        expect(counts).toEqual({
          'approval.subjects': world.enterprises.length,
          'credit.subjects': world.enterprises.length,
        });
        const page = await registry.search({}, { first: 1 });
        expect(page.totalCount).toBe(world.enterprises.length);
        const withLegacy = world.enterprises.filter((e) => e.legacyRegNo !== null);
        expect((await registry.search({ hasLegacyRegNo: true }, { first: 1 })).totalCount).toBe(withLegacy.length);
        const [sample] = await registry.findByLegacyRegNos([withLegacy[0]!.legacyRegNo!]);
        expect(sample?.uscc).toBe(withLegacy[0]!.uscc);
        expect(sample?.sources.sort()).toEqual(['approval', 'credit']);
      });

      it("reads only what changed since, and takes the approval platform's new name", async () => {
        const renamed = simulators.world.enterprises[7]!;
        await simulators
          .control('approval')
          .mutate('enterprise', renamed.uscc, { entName: '瑞安市新名字科技有限公司' });
        const counts = await sync.syncOnce();
        expect(counts).toEqual({ 'approval.subjects': 1, 'credit.subjects': 0 });
        const [row] = await registry.findByUsccs([renamed.uscc]);
        expect(row?.name).toBe('瑞安市新名字科技有限公司');
      });

      it('keeps its place when a feed is down, and catches up when it is back', async () => {
        const renamed = simulators.world.enterprises[8]!;
        await simulators.control('approval').mutate('enterprise', renamed.uscc, { entName: '瑞安市断线重连有限公司' });
        await simulators.control('approval').setFaults({ down: true });
        try {
          await expect(sync.syncOnce()).rejects.toThrow(/approval/);
        } finally {
          await simulators.control('approval').clearFaults();
        }
        expect(await sync.syncOnce()).toEqual({ 'approval.subjects': 1, 'credit.subjects': 0 });
        expect((await registry.findByUsccs([renamed.uscc]))[0]?.name).toBe('瑞安市断线重连有限公司');
      });
    },
  );
}
