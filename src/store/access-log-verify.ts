import type { AccessLogEntry as AccessLogRow, PrismaClient } from '../generated/prisma/client.ts';
import { conditionalGrantsOf, entryHash, GENESIS_HASH } from './access-log-hash.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

export type ChainVerdict =
  /** `head` is the last entry's seq and hash (null for an empty log): note it down to detect later truncation. */
  | { ok: true; entries: number; head: ChainHead | null }
  | { ok: false; firstBrokenSeq: number; reason: string };

/** Rows read per query: the whole log is never held in memory. */
const PAGE_SIZE = 1_000;

/**
 * Walks the access log from entry 1 and recomputes every link from the stored columns:
 * - seq must run 1, 2, 3, … — a missing number means an entry was deleted;
 * - each prevHash must be the previous entry's hash — otherwise entries were reordered, forged
 *   or the previous entry's hash rewritten;
 * - each hash must be sha256(prevHash + canonical JSON of the stored fields) — otherwise the
 *   entry's content was edited.
 * Reports the first break. A chain alone cannot show that its newest entries were deleted: give
 * the `head` of an earlier run, kept outside the database, as `anchor`, and the entry it names
 * must still be there with that same hash.
 */
export async function verifyChain(prisma: PrismaClient, anchor?: ChainHead): Promise<ChainVerdict> {
  let previous: ChainHead | null = null;
  let entries = 0;
  for (;;) {
    const rows: AccessLogRow[] = await prisma.accessLogEntry.findMany({
      where: previous ? { seq: { gt: BigInt(previous.seq) } } : {},
      orderBy: { seq: 'asc' },
      take: PAGE_SIZE,
    });
    for (const row of rows) {
      const seq = Number(row.seq);
      const expectedSeq: number = (previous?.seq ?? 0) + 1;
      if (seq !== expectedSeq) {
        const after = previous ? `after entry ${previous.seq}` : 'at the start';
        const missing = seq === expectedSeq + 1 ? `entry ${expectedSeq} is` : `entries ${expectedSeq}–${seq - 1} are`;
        return { ok: false, firstBrokenSeq: expectedSeq, reason: `${missing} missing ${after} (deleted): the next entry is ${seq}` };
      }
      const expectedPrev = previous?.hash ?? GENESIS_HASH;
      if (row.prevHash !== expectedPrev) {
        const of = previous ? `entry ${previous.seq}'s hash` : 'the genesis hash';
        return { ok: false, firstBrokenSeq: seq, reason: `entry ${seq}'s prevHash is not ${of} (reordered, forged, or the entry before it rewritten)` };
      }
      if (entryHash(row.prevHash, row.seq, { ...row, conditionalGrants: conditionalGrantsOf(row.conditionalGrants) }) !== row.hash) {
        return { ok: false, firstBrokenSeq: seq, reason: `entry ${seq}'s content does not match its hash (edited)` };
      }
      if (anchor && seq === anchor.seq && row.hash !== anchor.hash) {
        return { ok: false, firstBrokenSeq: seq, reason: `entry ${seq}'s hash is not the anchored one (the chain was rewritten from here or earlier)` };
      }
      previous = { seq, hash: row.hash };
      entries += 1;
    }
    if (rows.length < PAGE_SIZE) {
      const end: number = previous?.seq ?? 0;
      if (anchor && end < anchor.seq) {
        return { ok: false, firstBrokenSeq: end + 1, reason: `the log ends at entry ${end}, but entry ${anchor.seq} was anchored (entries ${end + 1}–${anchor.seq} or more deleted)` };
      }
      return { ok: true, entries, head: previous };
    }
  }
}
