import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postRaw } from '../support/graphql-client.ts';
import { startTestGateway, type TestGateway } from '../support/gateway.ts';
import { migratedDatabaseUrl, postgresVariant, TEST_DATABASE_URL } from '../support/stores.ts';

/**
 * A store that answers but lacks what the migrations made (restored from an older backup, a
 * table dropped or renamed by hand, a database turned read-only by a failover): the gateway
 * cannot serve from it, which is an outage of its store, not a fault of the gateway.
 */
describe.runIf(TEST_DATABASE_URL !== undefined)('a PostgreSQL store missing a table, or read-only', () => {
  const variant = postgresVariant(TEST_DATABASE_URL);
  let gw: TestGateway;
  let admin: pg.Client;

  beforeAll(async () => {
    const url = await migratedDatabaseUrl(variant);
    gw = await startTestGateway({ authRequired: true, databaseUrl: url });
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }, 180_000);
  afterEach(async () => {
    await admin.query('ALTER TABLE IF EXISTS subject_moved RENAME TO subject');
  });
  afterAll(async () => {
    await admin?.end();
    await gw?.close();
    await variant.dispose();
  });

  const subjects = async () =>
    postRaw(gw.url, { query: '{ subjects(first: 1) { nodes { uscc } } }' }, await gw.as('county-analyst'));

  it('answers a query reading the missing table 503 STORE_UNAVAILABLE with Retry-After, not a 500', async () => {
    await admin.query('ALTER TABLE subject RENAME TO subject_moved');
    const answer = await subjects();
    expect(answer.status).toBe(503);
    expect(answer.retryAfter).not.toBeNull();
    expect(JSON.parse(answer.text)).toMatchObject({ errors: [{ extensions: { code: 'STORE_UNAVAILABLE' } }] });
  });

  it('serves again, without a restart, once the table is back', async () => {
    await admin.query('ALTER TABLE subject RENAME TO subject_moved');
    expect((await subjects()).status).toBe(503);
    await admin.query('ALTER TABLE subject_moved RENAME TO subject');
    const answer = await subjects();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).not.toHaveProperty('errors');
  });
});
