import type { Prisma, PrismaClient } from '../../generated/prisma/client.ts';
import { INDEX_VERSION_SQL, type LoopGapRow, type LoopGapSqlFilter, allLoopGapsSql } from './loop-gaps-sql.ts';

/** Reads loop breaks from the loop index (SQL in loop-gaps-sql.ts). */
export class LoopGapStore {
  constructor(private readonly db: PrismaClient | Prisma.TransactionClient) {}

  /** Every break as of a day. */
  all(filter: LoopGapSqlFilter): Promise<LoopGapRow[]> {
    return this.db.$queryRaw<LoopGapRow[]>(allLoopGapsSql(filter));
  }

  /** A token that changes whenever a feed stores records (see INDEX_VERSION_SQL). */
  async version(): Promise<string> {
    const [row] = await this.db.$queryRaw<Array<{ version: string }>>(INDEX_VERSION_SQL);
    return row!.version;
  }
}
