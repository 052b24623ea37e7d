import type { MutableResource } from '../server/resource-store.ts';
import { renderRecord, renderSubject } from '../systems/credit-format.ts';
import type { World } from '../world/model.ts';
import { CREDIT_TABLES } from './credit-tables.ts';
import { openExchangeDbMirror, type ExchangeDbMirror } from './exchange-db-mirror.ts';

/** The credit platform's 前置库 at `url`, filled from the world and following the simulator's changes. */
export function openCreditExchangeDb(
  url: string,
  world: World,
  resources: readonly MutableResource[],
): Promise<ExchangeDbMirror> {
  const table = (resource: string) => CREDIT_TABLES.find((candidate) => candidate.resource === resource)!;
  return openExchangeDbMirror(
    url,
    [
      {
        table: table('subject'),
        rows: world.creditProfiles.map((s) => ({ rendered: renderSubject(s), updatedAt: s.updatedAt })),
      },
      {
        table: table('record'),
        rows: world.creditRecords.map((r) => ({ rendered: renderRecord(r), updatedAt: r.updatedAt })),
      },
    ],
    resources,
  );
}
