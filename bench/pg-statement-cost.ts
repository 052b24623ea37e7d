/**
 * `npx tsx bench/pg-statement-cost.ts [--statements 3000] [--rounds 4]`: this process's CPU per
 * prepared statement run one after another on a PostgreSQL pool configured as the access log's
 * (DATABASE_URL, default the local server), through `pool.query` as the access log's appends run
 * (`preparedStatementsOnPool`), and on one connection checked out once and kept (what a writer
 * holding its connection would pay), alternated round by round in one process so a shared
 * machine's load falls on both alike. The statement is a prepared `SELECT $1::int`: the driver's
 * and the pool's work, not the server's. The first rounds are the JIT's warm-up: read the last ones.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { preparedStatementsOnPool } from '../src/platform/store/postgres-prepared-statements.ts';
import { ACCESS_LOG_POOL_SIZE } from '../src/platform/store/store-pools.ts';

const { values } = parseArgs({
  options: { statements: { type: 'string', default: '3000' }, rounds: { type: 'string', default: '4' } },
});
const statements = Number(values.statements);
const pool = new pg.Pool({
  connectionString: process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
  max: ACCESS_LOG_POOL_SIZE,
  // As open-store.ts sets them on the access log's pool (its default timeouts).
  connectionTimeoutMillis: 5_000,
  statement_timeout: 5_000,
  query_timeout: 5_000,
  keepAlive: true,
});
const onPool = preparedStatementsOnPool(pool);
const client = await pool.connect();
const onClient = async (sql: string, values: readonly unknown[]) =>
  (await client.query({ name: 'held_statement', text: sql, values: [...values] })).rowCount ?? 0;
const ways = { 'pool.query': onPool, held: onClient };

async function measure(execute: (sql: string, values: readonly unknown[]) => Promise<number>) {
  const run = async (count: number) => {
    for (let i = 0; i < count; i += 1) await execute('SELECT $1::int AS n', [i]);
  };
  await run(300);
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run(statements);
  const used = process.cpuUsage(cpu);
  return {
    cpuMs: (used.user + used.system) / 1000 / statements,
    systemMs: used.system / 1000 / statements,
    wallMs: (performance.now() - started) / statements,
  };
}

try {
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    for (const [name, execute] of Object.entries(ways)) {
      const { cpuMs, systemMs, wallMs } = await measure(execute);
      process.stdout.write(
        `round ${round} ${name.padEnd(10)} ${cpuMs.toFixed(3)} ms CPU per statement (system ${systemMs.toFixed(3)}), ${wallMs.toFixed(3)} ms wall\n`,
      );
    }
  }
} finally {
  client.release();
  await pool.end();
}
