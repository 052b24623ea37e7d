import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CachedGrantStore, GRANT_CACHE_TTL_MS } from '../../src/modules/access/cached-grant-store.ts';
import type { GrantConsumer, GrantInput } from '../../src/modules/access/grant-store.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { storeVariants } from '../support/stores.ts';

const ADMIN = 'admin-01';
const TEAM: GrantConsumer = { authorityCode: '330381001-ZFD', authorityKind: 'TOWNSHIP_ENFORCEMENT_TEAM' };
const ANALYSTS: GrantConsumer = { authorityCode: '330381-FXB', authorityKind: 'ANALYSIS_OFFICE' };
const MID_2024 = new Date('2024-06-01T00:00:00+08:00');

function grantInput(overrides: Partial<GrantInput> = {}): GrantInput {
  return {
    ownerSystem: 'approval',
    consumerAuthorityCode: TEAM.authorityCode,
    fields: ['LegalRepresentative.idNumber'],
    purpose: '瑞综执立〔2024〕28号 case investigation',
    matters: ['瑞综执立〔2024〕28号'],
    validFrom: '2024-01-01T00:00:00+08:00',
    validUntil: '2025-01-01T00:00:00+08:00',
    ...overrides,
  };
}

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the cached grant store on ${variant.name}`, () => {
    let store: Store;
    let clock: number;
    /** Two gateway processes on one database, with a clock the test moves. */
    let here: CachedGrantStore;
    let elsewhere: CachedGrantStore;
    let queries: number;

    beforeAll(async () => {
      store = await variant.open();
    });
    afterAll(() => variant.dispose());
    beforeEach(async () => {
      await store.prisma.grant.deleteMany();
      clock = Date.parse('2024-06-01T00:00:00+08:00');
      const now = () => clock;
      here = new CachedGrantStore(store.prisma, undefined, { now });
      elsewhere = new CachedGrantStore(store.prisma, undefined, { now });
      queries = 0;
      const unended = here.unendedGrants.bind(here);
      here.unendedGrants = (...args) => {
        queries += 1;
        return unended(...args);
      };
    });

    it('asks the store once for many lookups of one consumer, and again for another consumer', async () => {
      await here.create(grantInput(), ADMIN);
      const lookups = await Promise.all(Array.from({ length: 5 }, () => here.activeGrants(TEAM, MID_2024)));
      await here.activeGrants(TEAM, MID_2024);
      expect(lookups.map((grants) => grants.length)).toEqual([1, 1, 1, 1, 1]);
      expect(queries).toBe(1);
      expect(await here.activeGrants(ANALYSTS, MID_2024)).toEqual([]);
      expect(queries).toBe(2);
    });

    it('takes a grant created through it at once, and drops a grant revoked through it at once', async () => {
      expect(await here.activeGrants(TEAM, MID_2024)).toEqual([]);
      const grant = await here.create(grantInput(), ADMIN);
      expect((await here.activeGrants(TEAM, MID_2024)).map((g) => g.id)).toEqual([grant.id]);
      await here.revoke(grant.id, ADMIN, 'agreement ended');
      expect(await here.activeGrants(TEAM, MID_2024)).toEqual([]);
    });

    it('does not keep a lookup that was in flight while a grant was revoked', async () => {
      const grant = await here.create(grantInput(), ADMIN);
      const inFlight = here.activeGrants(TEAM, MID_2024);
      await here.revoke(grant.id, ADMIN, 'agreement ended');
      await inFlight;
      expect(await here.activeGrants(TEAM, MID_2024)).toEqual([]);
    });

    it('judges validity periods by the time of each lookup, not by when the grants were fetched', async () => {
      await here.create(
        grantInput({ validFrom: '2024-06-01T00:00:01+08:00', validUntil: '2024-06-01T00:00:02+08:00' }),
        ADMIN,
      );
      expect(await here.activeGrants(TEAM, new Date('2024-06-01T00:00:00+08:00'))).toEqual([]);
      expect(await here.activeGrants(TEAM, new Date('2024-06-01T00:00:01+08:00'))).toHaveLength(1);
      expect(await here.activeGrants(TEAM, new Date('2024-06-01T00:00:02+08:00'))).toEqual([]);
      expect(queries).toBe(1);
    });

    it('sees a revocation made by another process within the cache lifetime, not before', async () => {
      const grant = await here.create(grantInput(), ADMIN);
      expect(await here.activeGrants(TEAM, MID_2024)).toHaveLength(1);
      await elsewhere.revoke(grant.id, ADMIN, 'agreement ended');
      clock += GRANT_CACHE_TTL_MS - 1;
      expect(await here.activeGrants(TEAM, MID_2024)).toHaveLength(1);
      clock += 1;
      expect(await here.activeGrants(TEAM, MID_2024)).toEqual([]);
    });

    it('does not remember a failed lookup', async () => {
      let failNext = true;
      const unended = here.unendedGrants;
      here.unendedGrants = (...args) => {
        if (failNext) {
          failNext = false;
          return Promise.reject(new Error('store unavailable'));
        }
        return unended(...args);
      };
      await here.create(grantInput(), ADMIN);
      await expect(here.activeGrants(TEAM, MID_2024)).rejects.toThrow('store unavailable');
      expect(await here.activeGrants(TEAM, MID_2024)).toHaveLength(1);
    });
  });
}
