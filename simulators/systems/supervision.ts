import { fieldBatch } from '../server/batch-request.ts';
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_MAX, feedParams, intParam } from '../server/query-params.ts';
import { ResourceStore } from '../server/resource-store.ts';
import type { SimulatedSystem } from '../server/simulated-system.ts';
import { compactStamp } from '../world/china-time.ts';
import type { World } from '../world/model.ts';
import { renderInspection } from './supervision-format.ts';

/** 互联网+监管 / 双随机一公开, base path /jg (docs/agency-apis.md §2). */
export function supervisionSystem(world: World): SimulatedSystem {
  const inspections = new ResourceStore({
    name: 'inspection',
    records: world.inspections,
    id: (i) => i.id,
    updatedAt: (i) => i.updatedAt,
    render: renderInspection,
    idField: 'inspection_id',
    updatedField: 'updated_at',
    formatUpdated: compactStamp,
    lookups: { inspection_id: (i) => i.id, subject_code: (i) => i.subjectCode, permit_no: (i) => i.permitNo },
  });
  return {
    system: 'supervision',
    envelope: {
      ok: (result) => ({ success: true, result }),
      error: (message) => ({ success: false, error_msg: message }),
    },
    resources: [inspections],
    route(request) {
      switch (`${request.method} ${request.path}`) {
        case 'GET /jg/inspections': {
          const offset = intParam(request.query, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
          const limit = intParam(request.query, 'limit', DEFAULT_PAGE_SIZE, 1, PAGE_SIZE_MAX);
          return { total: inspections.total, rows: inspections.page(offset, limit) };
        }
        case 'POST /jg/inspections/batch': {
          const batch = fieldBatch(request.body, 'by', 'values', inspections.lookupFields);
          request.countBatch(batch.values.length);
          return inspections.lookup(batch.field, batch.values);
        }
        case 'GET /jg/inspections/changes': {
          const { cursor, limit } = feedParams(request.query, 'cursor', 'limit');
          const answer = inspections.changes(cursor, limit);
          return { rows: answer.items, next_cursor: answer.nextCursor, has_more: answer.hasMore };
        }
        default:
          return undefined;
      }
    },
  };
}
