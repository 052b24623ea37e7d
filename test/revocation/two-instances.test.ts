import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { expectNoGraphQLErrors } from '../support/graphql-client.ts';
import { migratedDatabaseUrl, postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';

const REFRESH_MS = 1000;
const WHO = '{ authorities { code } }';
const SIGN_OUT = 'mutation SignOut { revokeOwnToken { outcome } }';

const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.runIf(TEST_DATABASE_URL !== undefined)('two gateway instances on one PostgreSQL', () => {
  it('refuse a token signed out on one on the other within the refresh interval', async () => {
    const variant = postgresVariant(TEST_DATABASE_URL);
    cleanups.push(() => variant.dispose());
    const databaseUrl = await migratedDatabaseUrl(variant);
    // Instances behind one load balancer trust the same issuer: here, one demo key pair.
    const dataDir = mkdtempSync(join(tmpdir(), 'gw-revocation-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const env = { AUTH_REVOCATION_REFRESH_MS: String(REFRESH_MS) };
    const [a, b] = (await Promise.all(
      [0, 1].map(() => startTestGateway({ authRequired: true, databaseUrl, dataDir, env })),
    )) as [TestGateway, TestGateway];
    cleanups.push(
      () => a.close(),
      () => b.close(),
    );

    const officer = await a.as('county-enforcement');
    // Verified and remembered by both first: the revocation must reach a token already in B's cache.
    expectNoGraphQLErrors(await a.post(WHO, {}, officer));
    expectNoGraphQLErrors(await b.post(WHO, {}, officer));

    expect(expectNoGraphQLErrors(await a.post<{ revokeOwnToken: { outcome: string } }>(SIGN_OUT, {}, officer))).toEqual(
      { revokeOwnToken: { outcome: 'REVOKED' } },
    );
    const revokedAt = performance.now();
    expect((await a.post(WHO, {}, officer)).status).toBe(401);

    let onB = await b.post(WHO, {}, officer);
    while (onB.status === 200 && performance.now() - revokedAt < 3 * REFRESH_MS) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      onB = await b.post(WHO, {}, officer);
    }
    const tookMs = performance.now() - revokedAt;
    expect(onB.status).toBe(401);
    expect(onB.body.errors?.[0]?.extensions).toEqual({ code: 'UNAUTHENTICATED', reason: 'token_revoked' });
    // One interval, and the reload's own time on a loaded machine.
    expect(tookMs).toBeLessThan(REFRESH_MS + 500);
    expectNoGraphQLErrors(await b.post(WHO, {}, await b.as('county-enforcement')));
  });
});
