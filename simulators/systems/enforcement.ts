import { fieldBatch } from '../server/batch-request.ts';
import { DEFAULT_PAGE_SIZE, PAGE_SIZE_MAX, feedParams, intParam } from '../server/query-params.ts';
import { RawJson } from '../server/raw-json.ts';
import { type QueryableResource, type ResourceDefinition, ResourceStore } from '../server/resource-store.ts';
import type { SimRequest, SimulatedSystem } from '../server/simulated-system.ts';
import type { World } from '../world/model.ts';
import { ClueSubmissions } from './enforcement-clue-submission.ts';
import { renderCase, renderClue, renderItems, renderOrgs, renderPenalty, renderRegions } from './enforcement-format.ts';

const PREFIX = '/zf/api/';

type Shared = 'updatedAt' | 'updatedField' | 'formatUpdated';

/** Every resource here keys its update time as UPDATE_TIME in epoch milliseconds. */
function store<T extends { updatedAt: number }>(definition: Omit<ResourceDefinition<T>, Shared>): ResourceStore<T> {
  return new ResourceStore<T>({
    ...definition,
    updatedAt: (record) => record.updatedAt,
    updatedField: 'UPDATE_TIME',
    formatUpdated: (ms) => ms,
  });
}

function resourceRoute(resource: QueryableResource, action: string, request: SimRequest): unknown {
  switch (`${request.method} ${action}`) {
    case 'GET LIST': {
      const page = intParam(request.query, 'PAGE_NO', 1, 1, Number.MAX_SAFE_INTEGER);
      const size = intParam(request.query, 'PAGE_SIZE', DEFAULT_PAGE_SIZE, 1, PAGE_SIZE_MAX);
      return { TOTAL: resource.total, ROWS: resource.page((page - 1) * size, size) };
    }
    case 'POST BATCH': {
      const batch = fieldBatch(request.body, 'FIELD', 'VALUES', resource.lookupFields);
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
  const clues = store({
    name: 'clue',
    records: world.clues,
    id: (c) => c.id,
    render: renderClue,
    idField: 'CLUE_ID',
    lookups: { CLUE_ID: (c) => c.id, SUBJECT_USCC: (c) => c.subjectUscc, INSPECTION_ID: (c) => c.inspectionId },
  });
  const cases = store({
    name: 'case',
    records: world.cases,
    id: (c) => c.caseNo,
    render: renderCase,
    idField: 'CASE_NO',
    lookups: { CASE_NO: (c) => c.caseNo, SUBJECT_USCC: (c) => c.subjectUscc, CLUE_ID: (c) => c.clueId },
  });
  const penalties = store({
    name: 'penalty',
    records: world.penalties,
    id: (p) => p.decisionNo,
    render: renderPenalty,
    idField: 'DECISION_NO',
    lookups: {
      DECISION_NO: (p) => p.decisionNo,
      SUBJECT_USCC: (p) => p.subjectUscc,
      CASE_NO: (p) => p.caseNo,
      PERMIT_NO: (p) => p.affectedPermitNo,
    },
  });
  const submissions = new ClueSubmissions(clues, world.clues);
  const resources = new Map<string, QueryableResource>([
    ['CLUE', clues],
    ['CASE', cases],
    ['PENALTY', penalties],
  ]);
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
    resources: [clues, cases, penalties],
    route(request) {
      if (!request.path.startsWith(PREFIX)) return undefined;
      const rest = request.path.slice(PREFIX.length);
      if (request.method === 'GET' && reference.has(rest)) return reference.get(rest);
      if (request.method === 'POST' && rest === 'CLUE/SUBMIT') return submissions.submit(request.body);
      const [name = '', action = ''] = rest.split('/');
      const resource = resources.get(name);
      return resource ? resourceRoute(resource, action, request) : undefined;
    },
  };
}
