import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { applyMigrations } from './migrate.ts';

/** Any 64-bit key of our own; distinct from the one Prisma's engine takes inside (72707369). */
const MIGRATION_LOCK_KEY = 2_024_061_901;

/**
 * Applies migrations to a PostgreSQL database while holding a session advisory lock, so gateway
 * processes starting together migrate one after the other; the later ones find nothing to do.
 * The engine gets a pool of exactly one connection: its own advisory lock is per session and
 * would not protect anything if its statements were spread over a pool.
 */
export async function applyPostgresMigrations(databaseUrl: string): Promise<string[]> {
  const lockHolder = new pg.Client({ connectionString: databaseUrl });
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      // The engine never closes its connection and releases its own lock only when the session
      // ends, so it gets a pool we end ourselves; otherwise the next process waits for the idle
      // timeout.
      const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      try {
        return await applyMigrations(new PrismaPg(pool));
      } finally {
        await pool.end();
      }
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lockHolder.end();
  }
}
