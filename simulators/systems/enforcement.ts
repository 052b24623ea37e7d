import { fieldBatch } from '../server/batch-request.ts';
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_MAX, feedParams, intParam } from '../server/query-params.ts';
import { RawJson } from '../server/raw-json.ts';
import { type QueryableResource, type ResourceDefinition, ResourceStore } from '../server/resource-store.ts';
import type { SimRequest, SimulatedSystem } from '../server/simulated-system.ts';
import type { World } from '../world/model.ts';
import { renderCase, renderClue, renderItems, renderOrgs, renderPenalty, renderRegions } from './enforcement-format.ts';

const PREFIX = '/zf/api/';

type Common<T> = Pick<ResourceDefinition<T>, 'name' | 'records' | 'id' | 'updatedAt' | 'render' | 'idField' | 'lookupFields'>;

function store<T extends { updatedAt: number }>(definition: Common<T>): ResourceStore<T> {
  return new ResourceStore({ ...definition, updatedField: 'UPDATE_TIME', formatUpdated: (ms: number) => ms });
}

function resourceRoute(resource: QueryableResource, lookupFields: readonly string[], action: string, request: SimRequest): unknown {
  switch (`${request.method} ${action}`) {
    case 'GET LIST': {
      const page = intParam(request.query, 'PAGE_NO', 1, 1, Number.MAX_SAFE_INTEGER);
      const size = intParam(request.query, 'PAGE_SIZE', DEFAULT_PAGE_SIZE, 1, PAGE_SIZE_MAX);
      return { TOTAL: resource.total, ROWS: resource.page((page - 1) * size, size) };
    }
    case 'POST BATCH': {
      const batch = fieldBatch(request.body, 'FIELD', 'VALUES', lookupFields);
      request.countBatch(batch.values.length);
      return resource.lookup(batch.field, batch.values);
    }
    case 'GET CHANGES': {
      const { cursor, limit } = feedParams(request.query, 'CURSOR', 'LIMIT');
      const answer = resource.changes(cursor, limit);
      return { ROWS: answer.items, NEXT_CURSOR: answer.nextCursor, HAS_MORE: answer.hasMore };
    }
    default:
      return undefined;
  }
}

/** 综合行政执法 case system, base path /zf/api (docs/agency-apis.md §3). */
export function enforcementSystem(world: World): SimulatedSystem {
  const clueFields = ['CLUE_ID', 'SUBJECT_USCC', 'INSPECTION_ID'];
  const caseFields = ['CASE_NO', 'SUBJECT_USCC', 'CLUE_ID'];
  const penaltyFields = ['DECISION_NO', 'SUBJECT_USCC', 'CASE_NO', 'PERMIT_NO'];
  const resources = {
    CLUE: { fields: clueFields, store: store({ name: 'clue', records: world.clues, id: (c) => c.id, updatedAt: (c) => c.updatedAt, render: renderClue, idField: 'CLUE_ID', lookupFields: clueFields }) },
    CASE: { fields: caseFields, store: store({ name: 'case', records: world.cases, id: (c) => c.caseNo, updatedAt: (c) => c.updatedAt, render: renderCase, idField: 'CASE_NO', lookupFields: caseFields }) },
    PENALTY: { fields: penaltyFields, store: store({ name: 'penalty', records: world.penalties, id: (p) => p.decisionNo, updatedAt: (p) => p.updatedAt, render: renderPenalty, idField: 'DECISION_NO', lookupFields: penaltyFields }) },
  };
  const reference = new Map<string, RawJson>([
    ['REF/REGIONS', new RawJson(JSON.stringify(renderRegions(world)))],
    ['REF/ORGS', new RawJson(JSON.stringify(renderOrgs(world)))],
    ['REF/ITEMS', new RawJson(JSON.stringify(renderItems(world)))],
  ]);
  return {
    system: 'enforcement',
    envelope: {
      ok: (data) => ({ RET_CODE: '0000', RET_MSG: '成功', DATA: data }),
      error: (message, status) => ({ RET_CODE: `${status}0`, RET_MSG: message, DATA: null }),
    },
    resources: [resources.CLUE.store, resources.CASE.store, resources.PENALTY.store],
    route(request) {
      if (!request.path.startsWith(PREFIX)) return undefined;
      const rest = request.path.slice(PREFIX.length);
      if (request.method === 'GET' && reference.has(rest)) return reference.get(rest);
      const [name, action] = rest.split('/');
      const resource = name === 'CLUE' || name === 'CASE' || name === 'PENALTY' ? resources[name] : undefined;
      if (!resource || action === undefined) return undefined;
      return resourceRoute(resource.store, resource.fields, action, request);
    },
  };
}
