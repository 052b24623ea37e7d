import { fieldBatch, keyedBatch } from '../server/batch-request.ts';
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_MAX, feedParams, intParam } from '../server/query-params.ts';
import { type QueryableResource, ResourceStore } from '../server/resource-store.ts';
import type { SimRequest, SimulatedSystem } from '../server/simulated-system.ts';
import { slashStamp } from '../world/china-time.ts';
import type { World } from '../world/model.ts';
import { renderRecord, renderSubject } from './credit-format.ts';

function list(store: QueryableResource, request: SimRequest) {
  const page = intParam(request.query, 'page', 1, 1, Number.MAX_SAFE_INTEGER);
  const size = intParam(request.query, 'size', DEFAULT_PAGE_SIZE, 1, PAGE_SIZE_MAX);
  return { zs: store.total, jg: store.page((page - 1) * size, size) };
}

function changes(store: QueryableResource, request: SimRequest) {
  const { cursor, limit } = feedParams(request.query, 'cursor', 'limit');
  const answer = store.changes(cursor, limit);
  return { jg: answer.items, xyg: answer.nextCursor, gd: answer.hasMore };
}

/** 公共信用信息平台, base path /xy (docs/agency-apis.md §4). */
export function creditSystem(world: World): SimulatedSystem {
  const subjects = new ResourceStore({
    name: 'subject',
    records: world.creditProfiles,
    id: (s) => s.uscc,
    updatedAt: (s) => s.updatedAt,
    render: renderSubject,
    idField: 'tyshxydm',
    updatedField: 'gxsj',
    formatUpdated: slashStamp,
    lookups: { tyshxydm: (s) => s.uscc },
  });
  const records = new ResourceStore({
    name: 'record',
    records: world.creditRecords,
    id: (r) => r.id,
    updatedAt: (r) => r.updatedAt,
    render: renderRecord,
    idField: 'jlbh',
    updatedField: 'gxsj',
    formatUpdated: slashStamp,
    lookups: { jlbh: (r) => r.id, tyshxydm: (r) => r.subjectUscc, cf_wsh: (r) => r.decisionNo },
  });
  return {
    system: 'credit',
    envelope: {
      ok: (data) => ({ status: 'success', data }),
      error: (message) => ({ status: 'error', message }),
    },
    resources: [subjects, records],
    route(request) {
      switch (`${request.method} ${request.path}`) {
        case 'GET /xy/subjects':
          return list(subjects, request);
        case 'POST /xy/subjects/batch': {
          const batch = keyedBatch(request.body, { tyshxydm: 'tyshxydm' });
          request.countBatch(batch.values.length);
          return subjects.lookup(batch.field, batch.values);
        }
        case 'GET /xy/subjects/changes':
          return changes(subjects, request);
        case 'GET /xy/records':
          return list(records, request);
        case 'POST /xy/records/batch': {
          const batch = fieldBatch(request.body, 'by', 'values', records.lookupFields);
          request.countBatch(batch.values.length);
          return records.lookup(batch.field, batch.values);
        }
        case 'GET /xy/records/changes':
          return changes(records, request);
        default:
          return undefined;
      }
    },
  };
}
