import { keyedBatch } from '../server/batch-request.ts';
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_MAX, feedParams, intParam } from '../server/query-params.ts';
import { type FeedAnswer, type QueryableResource, ResourceStore } from '../server/resource-store.ts';
import type { SimRequest, SimulatedSystem } from '../server/simulated-system.ts';
import { isoInstant } from '../world/china-time.ts';
import type { World } from '../world/model.ts';
import { renderEnterprise, renderPermit } from './approval-format.ts';

function listPage(store: QueryableResource, request: SimRequest, filter?: { param: string; field: string }) {
  const page = intParam(request.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = intParam(request.query, 'pageSize', DEFAULT_PAGE_SIZE, 1, PAGE_SIZE_MAX);
  const offset = (page - 1) * pageSize;
  const value = filter ? request.query.get(filter.param) : null;
  if (filter && value) {
    const { total, items } = store.pageWhere(filter.field, value, offset, pageSize);
    return { total, page, pageSize, items };
  }
  return { total: store.total, page, pageSize, items: store.page(offset, pageSize) };
}

function feed(answer: FeedAnswer) {
  return { items: answer.items, nextCursor: answer.nextCursor, hasMore: answer.hasMore };
}

/** 政务服务/审批 platform, base path /api (docs/agency-apis.md §1). */
export function approvalSystem(world: World): SimulatedSystem {
  const enterprises = new ResourceStore({
    name: 'enterprise',
    records: world.enterprises,
    id: (e) => e.uscc,
    updatedAt: (e) => e.updatedAt,
    render: renderEnterprise,
    idField: 'uscc',
    updatedField: 'updatedAt',
    formatUpdated: isoInstant,
    lookups: { uscc: (e) => e.uscc, legacyRegNo: (e) => e.legacyRegNo },
  });
  const permits = new ResourceStore({
    name: 'permit',
    records: world.permits,
    id: (p) => p.permitNo,
    updatedAt: (p) => p.updatedAt,
    render: renderPermit,
    idField: 'permitNo',
    updatedField: 'updatedAt',
    formatUpdated: isoInstant,
    lookups: { permitNo: (p) => p.permitNo, holderUscc: (p) => p.holderUscc },
  });
  return {
    system: 'approval',
    envelope: {
      ok: (data) => ({ code: 0, msg: 'ok', data }),
      error: (message, status) => ({ code: status, msg: message, data: null }),
    },
    resources: [enterprises, permits],
    route(request) {
      switch (`${request.method} ${request.path}`) {
        case 'GET /api/enterprises':
          return listPage(enterprises, request);
        case 'POST /api/enterprises/batch': {
          const batch = keyedBatch(request.body, { usccs: 'uscc', legacyRegNos: 'legacyRegNo' });
          request.countBatch(batch.values.length);
          return enterprises.lookup(batch.field, batch.values);
        }
        case 'GET /api/enterprises/changes': {
          const { cursor, limit } = feedParams(request.query, 'cursor', 'limit');
          return feed(enterprises.changes(cursor, limit));
        }
        case 'GET /api/permits':
          return listPage(permits, request, { param: 'holderUscc', field: 'holderUscc' });
        case 'POST /api/permits/batch': {
          const batch = keyedBatch(request.body, { permitNos: 'permitNo', holderUsccs: 'holderUscc' });
          request.countBatch(batch.values.length);
          return permits.lookup(batch.field, batch.values);
        }
        case 'GET /api/permits/changes': {
          const { cursor, limit } = feedParams(request.query, 'cursor', 'limit');
          return feed(permits.changes(cursor, limit));
        }
        default:
          return undefined;
      }
    },
  };
}
