import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  migrationFailure,
  StoreStartFailure,
  unopenedForMigrations,
} from '../../src/platform/store/migration-failures.ts';
import { askForKeepalives } from '../../src/platform/store/postgres-migration.ts';
import { TEST_DATABASE_URL } from '../support/stores.ts';

const TIMEOUTS = { connectMs: 5_000, migrationMs: 600_000 };

/** What Prisma's schema engine reports when the database refuses a migration's statement. */
function engineError(): Error {
  return new Error(
    [
      'external connector error',
      'ERROR: permission denied for schema public',
      '   0: schema_core::commands::apply_migrations::Applying migration',
      '           with migration_name="20261130120000_add_probe"',
      '             at schema-engine/core/src/commands/apply_migrations.rs:91',
    ].join('\n'),
  );
}

describe('what a start says when migrating fails', () => {
  it("keeps the database's own words and drops the engine's backtrace", () => {
    const failure = migrationFailure(TIMEOUTS, engineError());

    expect(failure).toBeInstanceOf(StoreStartFailure);
    expect(failure.message).toContain('external connector error; ERROR: permission denied for schema public');
    expect(failure.message).not.toMatch(/apply_migrations\.rs|\b0: schema_core/);
  });

  it('names the migration left failed and how to let the next start apply it again', () => {
    const failure = migrationFailure(TIMEOUTS, engineError());

    expect(failure.message).toContain('migration 20261130120000_add_probe may now be recorded as failed');
    expect(failure.message).toContain(
      "DELETE FROM _prisma_migrations WHERE migration_name = '20261130120000_add_probe' AND finished_at IS NULL AND rolled_back_at IS NULL",
    );
  });

  it('names no row to delete when the failure names no migration, as another gateway may be migrating', () => {
    const failure = migrationFailure(TIMEOUTS, new Error('sorry, too many clients already'));

    expect(failure.message).toContain('applying PostgreSQL migrations failed: sorry, too many clients already');
    expect(failure.message).not.toContain('DELETE');
    expect(failure.message).toContain('SELECT migration_name, logs FROM _prisma_migrations');
  });

  it('reads the first cause of a connect refused on every address', () => {
    const refused = new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], '');

    expect(unopenedForMigrations('postgresql://localhost/gw', 5_000, refused).message).toContain(
      'connect ECONNREFUSED ::1:5432',
    );
  });

  it('says which bound cancelled a statement', () => {
    const cancelled = Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' });

    expect(migrationFailure(TIMEOUTS, cancelled).message).toMatch(
      /^a PostgreSQL migration statement ran longer than 600000 ms \(DATABASE_MIGRATION_TIMEOUT_MS\) and was cancelled\. /,
    );
  });

  it('names the server by host, port and database, never by its user or password', () => {
    const refused = new Error('connect ECONNREFUSED');
    const message = unopenedForMigrations('postgresql://gateway:s3cret@db.example:6432/gw', 5_000, refused).message;

    expect(message).toContain('PostgreSQL at db.example:6432/gw could not be opened for migrations');
    expect(message).not.toMatch(/s3cret|gateway@/);
  });

  it('names the socket folder of a server reached through a Unix socket', () => {
    const message = unopenedForMigrations(
      'postgresql:///gw?host=/var/run/postgresql',
      5_000,
      new Error('ENOENT'),
    ).message;

    expect(message).toContain('PostgreSQL at /var/run/postgresql:5432/gw');
  });
});

describe.runIf(TEST_DATABASE_URL !== undefined)("the migration sessions' server-side keepalives", () => {
  it('are set on the session, where the server applies them', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await askForKeepalives(client);
      const { rows } = await client.query<{ idle: string; count: string }>(
        "SELECT current_setting('tcp_keepalives_idle') AS idle, current_setting('tcp_keepalives_count') AS count",
      );
      expect(rows[0]).toEqual({ idle: '10', count: '3' });
    } finally {
      await client.end();
    }
  });

  it('leave a session that refuses them usable, as a pooler might', async () => {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT 1/0').catch(() => undefined); // an aborted transaction refuses every statement
      await expect(askForKeepalives(client)).resolves.toBeUndefined();
      await client.query('ROLLBACK');
      expect((await client.query<{ one: number }>('SELECT 1 AS one')).rows[0]?.one).toBe(1);
    } finally {
      await client.end();
    }
  });
});
