import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import type { Store } from '../../src/platform/store/open-store.ts';
import { RevocationList } from '../../src/modules/revocation/revocation-list.ts';
import { RevokedTokenStore } from '../../src/modules/revocation/revoked-token-store.ts';
import { storeVariants } from '../support/stores.ts';

const ISSUER = 'https://idp.example.gov.cn';
const MINUTE = 60_000;
const logger = createLogger({ level: 'silent' });

/** A clock the test moves by hand. */
function clock(start = Date.now()) {
  let at = start;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

function revocation(jti: string, expiresAt: Date) {
  return { issuer: ISSUER, jti, expiresAt, revokedBy: 'demo-admin@330381-SJFX' };
}

for (const variant of storeVariants()) {
  describe.runIf(variant.available)(`the revoked-token list on ${variant.name}`, () => {
    let store: Store;
    let tokens: RevokedTokenStore;
    beforeAll(async () => {
      store = await variant.open();
      tokens = new RevokedTokenStore(store.prisma);
    });
    afterAll(() => variant.dispose());

    it('loads what another instance revoked, and purges only revocations of tokens expired beyond the tolerance', async () => {
      const time = clock();
      const list = new RevocationList({ store: tokens, refreshMs: 2000, graceMs: 30_000, logger, now: time.now });
      const at = time.now();
      await tokens.revoke(revocation('expired-long-ago', new Date(at - 10 * MINUTE)));
      await tokens.revoke(revocation('expired-within-tolerance', new Date(at - 10_000)));
      await tokens.revoke(revocation('still-valid', new Date(at + 10 * MINUTE)));

      await list.reload();
      expect(list.isRevoked(ISSUER, 'still-valid')).toBe(true);
      // Still accepted as a token for the clock tolerance, so still refused as revoked.
      expect(list.isRevoked(ISSUER, 'expired-within-tolerance')).toBe(true);
      expect(list.isRevoked('https://other-idp.example.gov.cn', 'still-valid')).toBe(false);
      const left = await store.prisma.revokedToken.findMany({ where: { issuer: ISSUER }, orderBy: { jti: 'asc' } });
      expect(left.map((row) => row.jti)).toEqual(['expired-within-tolerance', 'still-valid']);
    });

    it('keeps the first revocation and its revoker when a token is revoked twice', async () => {
      const expiresAt = new Date(Date.now() + MINUTE);
      expect(await tokens.revoke(revocation('twice', expiresAt))).toBe(true);
      expect(await tokens.revoke({ ...revocation('twice', expiresAt), revokedBy: 'someone-else@x' })).toBe(false);
      const row = await store.prisma.revokedToken.findUniqueOrThrow({
        where: { issuer_jti: { issuer: ISSUER, jti: 'twice' } },
      });
      expect(row.revokedBy).toBe('demo-admin@330381-SJFX');
    });

    it('does not lose a revocation this instance made while a reload was reading the store', async () => {
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      // The reload's answer, read before the revocation was written, arrives after it.
      const slowStore = new (class extends RevokedTokenStore {
        override async inForce(after: Date) {
          const rows = await super.inForce(after);
          await held;
          return rows;
        }
      })(store.prisma);
      const list = new RevocationList({ store: slowStore, refreshMs: 2000, graceMs: 0, logger });
      const reloading = list.reload();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tokens.revoke(revocation('during-reload', new Date(Date.now() + MINUTE)));
      list.add(ISSUER, 'during-reload');
      release();
      await reloading;
      expect(list.isRevoked(ISSUER, 'during-reload')).toBe(true);
    });
  });
}

describe('a revoked-token list that cannot be reloaded', () => {
  const variant = storeVariants()[0]!;
  afterAll(() => variant.dispose());

  it('is trusted for five intervals (at least 10 s), then fails closed: STORE_UNAVAILABLE and not ready', async () => {
    const store = await variant.open();
    const time = clock();
    const list = new RevocationList({
      store: new RevokedTokenStore(store.prisma),
      refreshMs: 1000,
      graceMs: 0,
      logger,
      now: time.now,
    });
    await list.reload();
    await store.close();
    await expect(list.reload()).rejects.toThrow();

    time.advance(10_000);
    expect(() => list.assertCurrent()).not.toThrow();
    time.advance(1);
    expect(() => list.assertCurrent()).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'STORE_UNAVAILABLE' }) }),
    );
    await expect(list.health()).rejects.toMatchObject({ extensions: { code: 'STORE_UNAVAILABLE' } });
  });

  it('is not trusted before its first load', async () => {
    const list = new RevocationList({
      store: new RevokedTokenStore((await variant.open()).prisma),
      refreshMs: 1000,
      graceMs: 0,
      logger,
    });
    expect(() => list.assertCurrent()).toThrow();
  });
});
