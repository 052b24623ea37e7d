/**
 * `npm run audit:verify`: checks the access log's hash chain from the first entry to the last.
 * Finds the store as the gateway does: DATABASE_URL (PostgreSQL), else the embedded store under
 * DATA_DIR (default ./data) — refused while a gateway holds that folder, as PGlite allows one
 * process per folder (src/platform/store/pglite-folder-lock.ts). Reads only: no migration is
 * applied, nothing is written to the store.
 *
 * Exit 0: the chain is intact (prints the count and the head `<seq>:<hash>`; keep it outside the
 * database and pass it back as `--anchor <seq>:<hash>` to detect a later truncation of the newest
 * entries). Exit 1: it is broken (names every broken entry, one a line, with its kind: edited,
 * deleted, reordered or forged). Exit 2: it could not be read.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../src/generated/prisma/client.ts';
import { verifyChain } from '../src/modules/audit/access-log-verify.ts';
import type { ChainHead, ChainVerdict } from '../src/modules/audit/access-log-verify.ts';
import { pgliteAdapterFactory } from '../src/platform/store/pglite-adapter.ts';
import { lockPgliteFolder } from '../src/platform/store/pglite-folder-lock.ts';

async function main(): Promise<number> {
  const anchor = anchorArgument(process.argv.slice(2));
  if (anchor === 'invalid') {
    console.error('usage: npm run audit:verify [-- --anchor <seq>:<64 hex hash>]');
    return 2;
  }
  const databaseUrl = process.env['DATABASE_URL'];
  if (databaseUrl) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
    try {
      return report(await verifyChain(prisma, anchor), 'PostgreSQL (DATABASE_URL)');
    } finally {
      await prisma.$disconnect();
    }
  }
  const dataDir = join(process.env['DATA_DIR'] || './data', 'pglite');
  // PGlite would create an empty database in a missing folder and report an empty log as intact.
  if (!existsSync(dataDir)) {
    console.error(`audit:verify: no embedded store at ${dataDir} (set DATA_DIR or DATABASE_URL)`);
    return 2;
  }
  // A running gateway holds the folder: a second PGlite on it would read a stale copy.
  const lock = lockPgliteFolder(dataDir);
  try {
    const db = await PGlite.create({ dataDir });
    const prisma = new PrismaClient({ adapter: pgliteAdapterFactory(db) });
    try {
      return report(await verifyChain(prisma, anchor), `embedded store at ${dataDir}`);
    } finally {
      await prisma.$disconnect();
      await db.close();
    }
  } finally {
    lock.release();
  }
}

function report(verdict: ChainVerdict, where: string): number {
  if (!verdict.ok) {
    console.log(
      `access log BROKEN in ${where}: ${verdict.broken.length} broken of ${verdict.entries} entries; first broken entry seq ${verdict.firstBrokenSeq}`,
    );
    for (const entry of verdict.broken) console.log(`  seq ${entry.seq} ${entry.kind}: ${entry.reason}`);
    return 1;
  }
  const head = verdict.head
    ? `; head ${verdict.head.seq}:${verdict.head.hash} (keep it; pass it as --anchor next time)`
    : '';
  console.log(`access log intact in ${where}: ${verdict.entries} entries${head}`);
  return 0;
}

/** `--anchor <seq>:<hash>`, the head an earlier run printed. */
function anchorArgument(args: readonly string[]): ChainHead | undefined | 'invalid' {
  const { values } = parseArgs({ args: [...args], options: { anchor: { type: 'string' } }, strict: false });
  if (values.anchor === undefined) return undefined;
  const match = /^(\d+):([0-9a-f]{64})$/.exec(String(values.anchor));
  return match ? { seq: Number(match[1]), hash: match[2]! } : 'invalid';
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // P2021: no such table — a store the gateway has not yet migrated to hold the access log.
    const reason =
      error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2021'
        ? 'the store has no access log table (start the gateway once to migrate it)'
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`audit:verify: could not read the access log: ${reason}`);
    process.exitCode = 2;
  },
);
