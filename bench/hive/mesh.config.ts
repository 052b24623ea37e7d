/**
 * The peer a user would pick instead of this gateway: GraphQL Mesh composing the four agency
 * APIs, written from docs/agency-apis.md with Mesh's JSON Schema handler (response samples
 * taken from that page), linked by USCC, permit, inspection, case and decision numbers with
 * batched `@resolveTo` (one batch request per key set; `valueKeyField` matches the many records
 * a batch returns per key). No permission layer, no format mapping: each agency's own field
 * names, codes and units pass through.
 *
 * `mesh-compose -o supergraph.graphql` in this folder, with APPROVAL_URL, SUPERVISION_URL,
 * ENFORCEMENT_URL and CREDIT_URL set (bench/harness/hive-gateway.ts does it for `npm run bench`).
 */
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadJSONSchemaSubgraph } from '@omnigraph/json-schema';

const url = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set to the agency's base URL`);
  return value;
};

const enterprise = {
  uscc: '91330381MA2XXXXXXX',
  legacyRegNo: '330381000012345',
  entName: '瑞安市安阳机械有限公司',
  entType: 1,
  regionCode: '330381001',
  industryCode: 'C34',
  estDate: '2012-03-05T00:00:00+08:00',
  address: '…',
  updatedAt: '2024-01-02T10:00:00+08:00',
};
const permit = {
  permitNo: '浙审330381-2023-000123',
  itemCode: '330381-XK-0012',
  itemName: '食品经营许可',
  holderUscc: '91330381MA2XXXXXXX',
  issuerCode: '330381-XZSPJ',
  decisionTime: '2023-05-12T09:30:00+08:00',
  validFrom: '2023-05-12T00:00:00+08:00',
  validTo: '2028-05-11T00:00:00+08:00',
  status: 1,
  promiseMode: true,
  verifyDeadline: '2023-08-12T00:00:00+08:00',
  updatedAt: '2023-05-12T09:30:00+08:00',
};
const inspection = {
  inspection_id: 'JC2023000123',
  task_id: 'RW2023000045',
  subject_code: '91330381MA2XXXXXXX',
  subject_code_type: 'USCC',
  subject_name: '…',
  permit_no: '浙审330381-2023-000123',
  inspection_type: '双随机',
  inspect_date: '20230512',
  lead_dept: '330381-SCJGJ',
  depts: ['330381-SCJGJ'],
  region_code: '330381001',
  result: '发现违法',
  status: '已办结',
  findings: '…',
  updated_at: '20230512103000',
};
const clue = {
  CLUE_ID: 'XS2023000123',
  SOURCE: 1,
  INSPECTION_ID: 'JC2023000123',
  SUBJECT_USCC: '91330381MA2XXXXXXX',
  ITEM_CODE: '330381-CF-0042',
  SENDER_ORG: '330381-SCJGJ',
  RECEIVER_ORG: '330381001-ZFD',
  REGION_CODE: '330381001',
  RECEIVED_TIME: 1683858600000,
  RESPONDED_TIME: 1684000000000,
  STATUS: 4,
  CASE_NO: '瑞综执立〔2023〕123号',
  UPDATE_TIME: 1684000000000,
};
const caseRow = {
  CASE_NO: '瑞综执立〔2023〕123号',
  CLUE_ID: 'XS2023000123',
  SUBJECT_USCC: '91330381MA2XXXXXXX',
  SUBJECT_NAME: '…',
  ITEM_CODE: '330381-CF-0042',
  ORG_CODE: '330381001-ZFD',
  REGION_CODE: '330381001',
  PROCEDURE: 2,
  STATUS: 40,
  LENIENT: 0,
  LEGAL_REVIEW: 1,
  FILING_TIME: 1683858600000,
  DECISION_TIME: 1684858600000,
  CLOSE_TIME: 1685858600000,
  UPDATE_TIME: 1685858600000,
};
const penalty = {
  DECISION_NO: '瑞综执罚决字〔2023〕第123号',
  CASE_NO: '瑞综执立〔2023〕123号',
  SUBJECT_USCC: '91330381MA2XXXXXXX',
  PENALTY_TYPES: '1,2',
  FINE_FEN: 500000,
  CONFISCATED_FEN: 0,
  PERMIT_NO: '浙审330381-2023-000123',
  DECISION_TIME: 1684858600000,
  EXEC_STATUS: 1,
  EXEC_TIME: 1685858600000,
  UPDATE_TIME: 1685858600000,
};
const creditSubject = {
  tyshxydm: '91330381MA2XXXXXXX',
  ztmc: '…',
  xydj: 'A',
  pjrq: '2024/01/15',
  sxmd: { zt: '列入', lrrq: '2023/06/01', lryy: '…' },
  gxsj: '2024/01/15 10:00:00',
};
const creditRecord = {
  jlbh: 'XY2023000123',
  jllx: '行政处罚',
  tyshxydm: '91330381MA2XXXXXXX',
  cf_wsh: '瑞综执罚决字〔2023〕第123号',
  cf_fkje: 0.5,
  xzjg: '瑞安市综合行政执法局',
  gsrq: '2023/06/01',
  gsjzrq: '2026/06/01',
  gszt: '公示中',
  cn: { cnlx: '告知承诺', cnnr: '…', lyzt: '履约', xkbh: '浙审330381-2023-000123' },
  gxsj: '2023/06/01 10:00:00',
};

/** One batch endpoint as a root field taking the list of keys; the envelope is left to the caller's selection. */
const batch = (
  field: string,
  path: string,
  requestSample: object,
  responseSample: object,
  responseTypeName: string,
) => ({
  type: 'Query' as const,
  field,
  path,
  method: 'POST' as const,
  requestSample,
  responseSample,
  responseTypeName,
});

/** `parent.field` answered by one batch call per level: keys from `keyField`, matched back on `valueKeyField`. */
const link = (
  parent: string,
  field: string,
  source: string,
  sourceField: string,
  keyField: string,
  keysArg: string,
  valueKeyField: string,
  result: string,
) =>
  `extend type ${parent} { ${field} @resolveTo(sourceName: "${source}", sourceTypeName: "Query", sourceFieldName: "${sourceField}", ` +
  `requiredSelectionSet: "{ ${keyField} }", keyField: "${keyField}", keysArg: "input.${keysArg}", valueKeyField: "${valueKeyField}", result: "${result}") }`;

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadJSONSchemaSubgraph('Approval', {
        endpoint: url('APPROVAL_URL'),
        operations: [
          {
            type: 'Query',
            field: 'enterprises',
            path: '/api/enterprises?page={args.page}&pageSize={args.pageSize}',
            method: 'GET',
            argTypeMap: { page: { type: 'integer' }, pageSize: { type: 'integer' } },
            responseSample: { code: 0, msg: 'ok', data: { total: 1, page: 1, pageSize: 100, items: [enterprise] } },
            responseTypeName: 'EnterprisePage',
          },
          batch(
            'enterprisesByUscc',
            '/api/enterprises/batch',
            { usccs: ['…'] },
            { code: 0, msg: 'ok', data: [enterprise] },
            'EnterpriseBatch',
          ),
          batch(
            'permitsByHolder',
            '/api/permits/batch',
            { holderUsccs: ['…'] },
            { code: 0, msg: 'ok', data: [permit] },
            'PermitBatch',
          ),
        ],
      }),
    },
    {
      sourceHandler: loadJSONSchemaSubgraph('Supervision', {
        endpoint: url('SUPERVISION_URL'),
        operations: [
          {
            ...batch(
              'inspectionsByPermit',
              '/jg/inspections/batch',
              { values: ['…'] },
              { success: true, result: [inspection] },
              'InspectionBatch',
            ),
            requestBaseBody: { by: 'permit_no' },
          },
        ],
      }),
    },
    {
      sourceHandler: loadJSONSchemaSubgraph('Enforcement', {
        endpoint: url('ENFORCEMENT_URL'),
        operations: [
          {
            ...batch(
              'cluesByInspection',
              '/zf/api/CLUE/BATCH',
              { VALUES: ['…'] },
              { RET_CODE: '0000', RET_MSG: '成功', DATA: [clue] },
              'ClueBatch',
            ),
            requestBaseBody: { FIELD: 'INSPECTION_ID' },
          },
          {
            ...batch(
              'casesByNo',
              '/zf/api/CASE/BATCH',
              { VALUES: ['…'] },
              { RET_CODE: '0000', RET_MSG: '成功', DATA: [caseRow] },
              'CaseBatch',
            ),
            requestBaseBody: { FIELD: 'CASE_NO' },
          },
          {
            ...batch(
              'penaltiesByCase',
              '/zf/api/PENALTY/BATCH',
              { VALUES: ['…'] },
              { RET_CODE: '0000', RET_MSG: '成功', DATA: [penalty] },
              'PenaltyBatch',
            ),
            requestBaseBody: { FIELD: 'CASE_NO' },
          },
        ],
      }),
    },
    {
      sourceHandler: loadJSONSchemaSubgraph('Credit', {
        endpoint: url('CREDIT_URL'),
        operations: [
          batch(
            'creditSubjects',
            '/xy/subjects/batch',
            { tyshxydm: ['…'] },
            { status: 'success', data: [creditSubject] },
            'CreditSubjectBatch',
          ),
          {
            ...batch(
              'creditRecordsByDecision',
              '/xy/records/batch',
              { values: ['…'] },
              { status: 'success', data: [creditRecord] },
              'CreditRecordBatch',
            ),
            requestBaseBody: { by: 'cf_wsh' },
          },
          {
            ...batch(
              'creditRecordsBySubject',
              '/xy/records/batch',
              { values: ['…'] },
              { status: 'success', data: [creditRecord] },
              'CreditRecordBatch2',
            ),
            requestBaseBody: { by: 'tyshxydm' },
          },
        ],
      }),
    },
  ],
  // Links between agencies, each a batched join: Mesh collects the keys of one level and calls the
  // batch endpoint once with all of them (keysArg), then hands each parent the records whose
  // valueKeyField equals its key.
  additionalTypeDefs: [
    link(
      'query_enterprises_data_items_items',
      'permits: [query_permitsByHolder_data_items!]',
      'Approval',
      'permitsByHolder',
      'uscc',
      'holderUsccs',
      'holderUscc',
      'data',
    ),
    link(
      'query_enterprisesByUscc_data_items',
      'permits: [query_permitsByHolder_data_items!]',
      'Approval',
      'permitsByHolder',
      'uscc',
      'holderUsccs',
      'holderUscc',
      'data',
    ),
    link(
      'query_permitsByHolder_data_items',
      'inspections: [query_inspectionsByPermit_result_items!]',
      'Supervision',
      'inspectionsByPermit',
      'permitNo',
      'values',
      'permit_no',
      'result',
    ),
    link(
      'query_inspectionsByPermit_result_items',
      'clues: [query_cluesByInspection_DATA_items!]',
      'Enforcement',
      'cluesByInspection',
      'inspection_id',
      'VALUES',
      'INSPECTION_ID',
      'DATA',
    ),
    link(
      'query_cluesByInspection_DATA_items',
      'cases: [query_casesByNo_DATA_items!]',
      'Enforcement',
      'casesByNo',
      'CASE_NO',
      'VALUES',
      'CASE_NO',
      'DATA',
    ),
    link(
      'query_casesByNo_DATA_items',
      'penalties: [query_penaltiesByCase_DATA_items!]',
      'Enforcement',
      'penaltiesByCase',
      'CASE_NO',
      'VALUES',
      'CASE_NO',
      'DATA',
    ),
    link(
      'query_penaltiesByCase_DATA_items',
      'creditRecords: [query_creditRecordsByDecision_data_items!]',
      'Credit',
      'creditRecordsByDecision',
      'DECISION_NO',
      'values',
      'cf_wsh',
      'data',
    ),
    link(
      'query_enterprisesByUscc_data_items',
      'credit: [query_creditSubjects_data_items!]',
      'Credit',
      'creditSubjects',
      'uscc',
      'tyshxydm',
      'tyshxydm',
      'data',
    ),
    link(
      'query_creditSubjects_data_items',
      'records: [query_creditRecordsBySubject_data_items!]',
      'Credit',
      'creditRecordsBySubject',
      'tyshxydm',
      'values',
      'tyshxydm',
      'data',
    ),
  ].join('\n'),
});
