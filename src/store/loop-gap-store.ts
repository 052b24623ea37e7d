import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { type LoopGapKind, type LoopGapRow, type LoopGapSqlFilter, loopGapsCountSql, loopGapsPageSql } from './loop-gaps-sql.ts';

export interface LoopGapPage {
  rows: LoopGapRow[];
  hasNextPage: boolean;
  countsByKind: Partial<Record<LoopGapKind, number>>;
}

/** Reads loop breaks from the loop index (SQL in loop-gaps-sql.ts). */
export class LoopGapStore {
  constructor(private readonly db: PrismaClient | Prisma.TransactionClient) {}

  async page(filter: LoopGapSqlFilter, first: number, after: { kind: string; ref: string } | null): Promise<LoopGapPage> {
    const [rows, counts] = await Promise.all([
      this.db.$queryRaw<LoopGapRow[]>(loopGapsPageSql(filter, first, after)),
      this.db.$queryRaw<Array<{ kind: LoopGapKind; count: number }>>(loopGapsCountSql(filter)),
    ]);
    return {
      rows: rows.slice(0, first),
      hasNextPage: rows.length > first,
      countsByKind: Object.fromEntries(counts.map((c) => [c.kind, c.count])),
    };
  }

  /** Every break of one subject (a subject has few), in the page order. */
  async ofSubject(filter: LoopGapSqlFilter): Promise<LoopGapRow[]> {
    return this.db.$queryRaw<LoopGapRow[]>(loopGapsPageSql(filter, 10_000, null));
  }
}
