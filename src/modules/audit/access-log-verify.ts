import type { AccessLogEntry as AccessLogRow, PrismaClient } from '../../generated/prisma/client.ts';
import { entryHash, GENESIS_HASH, storedEntryHash, VERSION_1_FIELDS } from './access-log-hash.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * How an entry is broken:
 * - `edited`: its content no longer matches its hash, and it still sits where it was written;
 * - `deleted`: its seq is missing (a gap), or the log ends before an anchored entry;
 * - `reordered`: a genuine entry at another place than the one it was written at;
 * - `forged`: its link does not fit — its prevHash was changed, it was made up, or the entry
 *   before it was rewritten and re-hashed (only the next link shows that) — or its hash form is
 *   not one the gateway writes at that point of the chain.
 */
export type BreakKind = 'edited' | 'deleted' | 'reordered' | 'forged';

export interface BrokenEntry {
  seq: number;
  kind: BreakKind;
  reason: string;
}

export type ChainVerdict =
  /** `head` is the last entry's seq and hash (null for an empty log): note it down to detect later truncation. */
  | { ok: true; entries: number; head: ChainHead | null }
  /** Every broken entry in seq order; `firstBrokenSeq` and `reason` repeat the first one. */
  | {
      ok: false;
      entries: number;
      head: ChainHead | null;
      broken: BrokenEntry[];
      firstBrokenSeq: number;
      reason: string;
    };

/** Rows read per query: the whole log is never held in memory. */
const PAGE_SIZE = 1_000;
/** Hashes of this many recent entries are remembered, to tell a moved entry from a forged one. */
const REMEMBERED = 100_000;
/** How far from its place a moved entry is looked for, beyond where its link points. */
const MOVE_WINDOW = 16;

/**
 * Walks the access log from entry 1, recomputes every entry's hash from its stored columns and
 * checks every link, and reports every broken entry with its kind (see BreakKind), not only the
 * first: an edit made later cannot hide behind an earlier break. A break explained by one
 * already reported (the entry after a deleted one, the entry after a moved one) is not reported
 * twice. A chain alone cannot show that its newest entries were deleted: give the `head` of an
 * earlier run, kept outside the database, as `anchor`, and the entry it names must still be
 * there with that same hash.
 */
export async function verifyChain(prisma: PrismaClient, anchor?: ChainHead): Promise<ChainVerdict> {
  const broken: BrokenEntry[] = [];
  /** hash → the seq the entry was written at (null when its content fits no place). */
  const recent = new Map<string, number | null>();
  let previous: ChainHead | null = null;
  let entries = 0;
  let sawVersion2 = false;
  for (;;) {
    const rows: AccessLogRow[] = await prisma.accessLogEntry.findMany({
      where: previous ? { seq: { gt: BigInt(previous.seq) } } : {},
      orderBy: { seq: 'asc' },
      take: PAGE_SIZE,
    });
    for (const row of rows) {
      const seq = Number(row.seq);
      const expectedSeq: number = (previous?.seq ?? 0) + 1;
      const gap = seq > expectedSeq;
      if (gap) {
        const after = previous ? `after entry ${previous.seq}` : 'at the start';
        const missing = seq === expectedSeq + 1 ? `entry ${expectedSeq} is` : `entries ${expectedSeq}–${seq - 1} are`;
        broken.push({
          seq: expectedSeq,
          kind: 'deleted',
          reason: `${missing} missing ${after}: the next entry is ${seq}`,
        });
      }
      const downgraded = sawVersion2 && row.hashVersion !== 2;
      sawVersion2 ||= row.hashVersion === 2;
      const fits = !downgraded && hashFits(row, seq);
      const writtenAs = fits ? seq : downgraded ? null : placeWrittenAt(row, seq, recent.get(row.prevHash));
      const linked = !gap && row.prevHash === (previous?.hash ?? GENESIS_HASH);
      if (downgraded) {
        broken.push({
          seq,
          kind: 'forged',
          reason: `entry ${seq} has hash version ${row.hashVersion} after version-2 entries: not written by the gateway`,
        });
      } else if (!fits && writtenAs !== null) {
        broken.push({ seq, kind: 'reordered', reason: `entry ${seq} was written as entry ${writtenAs} (moved)` });
      } else if (!fits && linked) {
        broken.push({ seq, kind: 'edited', reason: `entry ${seq}'s content does not match its hash (edited)` });
      } else if (!fits) {
        broken.push({
          seq,
          kind: 'forged',
          reason: `entry ${seq}'s content and prevHash fit neither its hash nor the entry before it (its prevHash changed, or the entry made up)`,
        });
      } else if (!linked && !gap && recent.get(row.prevHash) !== seq - 1) {
        const of = previous ? `entry ${previous.seq}'s hash` : 'the genesis hash';
        const rewritten = previous
          ? `entry ${previous.seq} was rewritten and re-hashed, or entry ${seq} forged`
          : `entry ${seq} forged`;
        broken.push({ seq, kind: 'forged', reason: `entry ${seq}'s prevHash is not ${of}: ${rewritten}` });
      }
      if (anchor && seq === anchor.seq && row.hash !== anchor.hash) {
        broken.push({
          seq,
          kind: 'forged',
          reason: `entry ${seq}'s hash is not the anchored one (the chain was rewritten from here or earlier)`,
        });
      }
      remember(recent, row.hash, writtenAs);
      previous = { seq, hash: row.hash };
      entries += 1;
    }
    if (rows.length < PAGE_SIZE) break;
  }
  const end: number = previous?.seq ?? 0;
  if (anchor && end < anchor.seq) {
    broken.push({
      seq: end + 1,
      kind: 'deleted',
      reason: `the log ends at entry ${end}, but entry ${anchor.seq} was anchored (entries ${end + 1}–${anchor.seq} or more deleted)`,
    });
  }
  if (broken.length === 0) return { ok: true, entries, head: previous };
  broken.sort((a, b) => a.seq - b.seq);
  const [first] = broken as [BrokenEntry];
  return { ok: false, entries, head: previous, broken, firstBrokenSeq: first.seq, reason: first.reason };
}

/** Whether the entry's stored content gives its stored hash when it stands at `seq`. */
function hashFits(row: AccessLogRow, seq: number): boolean {
  if (row.hashVersion === 2) return storedEntryHash({ ...row, seq: BigInt(seq) }) === row.hash;
  if (row.hashVersion !== 1) return false;
  // Version 1 covers only its own fields; a column added since must still be empty on such an entry.
  return (
    entryHash(row.prevHash, seq, { ...row, conditionalGrants: undefined }) === row.hash &&
    columnsBeyondVersion1AreEmpty(row)
  );
}

const VERSION_1_COLUMNS = new Set<string>([...VERSION_1_FIELDS, 'prevHash', 'hash', 'hashVersion']);

function columnsBeyondVersion1AreEmpty(row: AccessLogRow): boolean {
  return Object.entries(row).every(([field, value]) => VERSION_1_COLUMNS.has(field) || isEmpty(value));
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && !(value instanceof Date) && Object.keys(value).length === 0;
}

/**
 * The seq a misplaced entry's content fits, if any: just after the entry its prevHash names (if
 * remembered), else near where it stands. Null: its content fits nowhere near (edited or forged).
 */
function placeWrittenAt(
  row: AccessLogRow,
  seq: number,
  predecessorWrittenAt: number | null | undefined,
): number | null {
  const candidates = typeof predecessorWrittenAt === 'number' ? [predecessorWrittenAt + 1] : [];
  for (let distance = 1; distance <= MOVE_WINDOW; distance += 1) candidates.push(seq - distance, seq + distance);
  return candidates.find((candidate) => candidate > 0 && candidate !== seq && hashFits(row, candidate)) ?? null;
}

function remember(recent: Map<string, number | null>, hash: string, writtenAs: number | null): void {
  recent.set(hash, writtenAs);
  if (recent.size > REMEMBERED) recent.delete(recent.keys().next().value!);
}
