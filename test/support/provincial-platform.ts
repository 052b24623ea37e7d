import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slashDate } from '../../simulators/world/china-time.ts';
import type { WorldInspection } from '../../simulators/world/model.ts';

/**
 * A provincial 双随机一公开 platform, as small as a test needs, with conventions of its own: pinyin
 * initials for field names, dates as epoch ms (rectification deadlines as `YYYY/MM/DD`), numeric
 * code tables, a `{ code: "0000", data }` envelope, page-number paging and one body key per
 * batch field. Profile: `PROVINCIAL_PROFILE` below, the only thing the gateway is given.
 */
export interface ProvincialPlatform {
  url: string;
  /** `up` answers; `down` answers 503; `slow` answers after two seconds. */
  mode: 'up' | 'down' | 'slow';
  close(): Promise<void>;
}

const KIND = {
  RANDOM: '01',
  KEY: '02',
  CREDIT_GRADED: '03',
  COMPLAINT: '04',
  JOINT: '05',
  COMMITMENT_VERIFICATION: '06',
};
const OUTCOME = { NO_PROBLEM: '1', PROBLEM_FOUND: '2', RECTIFICATION_ORDERED: '3', VIOLATION_FOUND: '4' };
const STATUS = { PLANNED: '01', INSPECTED: '02', CLOSED: '03' };
const RECTIFICATION = { IN_PROGRESS: '1', RECTIFIED: '2', OVERDUE: '3' };

/** One inspection of the world written as the provincial platform writes it. */
export function provincialRecord(i: WorldInspection): Record<string, unknown> {
  return {
    jcbh: i.id,
    rwbh: i.taskId,
    jcdx: { dm: i.subjectCode, dmlx: i.subjectCodeKind === 'USCC' ? '1' : '2', mc: i.subjectName },
    xkzh: i.permitNo,
    jclx: KIND[i.kind],
    jcrq: i.inspectedOn,
    zbbm: i.leadAuthorityCode,
    cybm: [...i.authorityCodes],
    xzqh: i.townshipCode,
    jcjg: OUTCOME[i.outcome],
    zt: STATUS[i.status],
    wtms: i.findings === '' ? null : i.findings,
    zg: i.rectification
      ? {
          zgtzsh: i.rectification.orderNo,
          zgqx: slashDate(i.rectification.deadline),
          zgzt: RECTIFICATION[i.rectification.status],
        }
      : null,
    gxsj: i.updatedAt,
  };
}

export const PROVINCIAL_PROFILE = `# yaml-language-server: $schema=../agency-profile.schema.json
system: supervision
source: zj-sjs
description: 浙江省双随机一公开监管平台 (provincial), beside the county's own supervision system
transport:
  kind: http
  baseUrlEnv: ZJ_SJS_URL
  envelope: { statusPath: code, okValues: ['0000'], dataPath: data, messagePath: message }
  paging: { style: page, pageParam: pageNo, sizeParam: pageSize, totalPath: total, itemsPath: list }
  changeFeed: { cursorParam: since, limitParam: size, itemsPath: list, nextCursorPath: cursor, hasMorePath: more }
  maxBatchKeys: 100
  pingResource: jcjl
  resources:
    jcjl:
      list: /api/sjs/jcjl
      changes: /api/sjs/jcjl/changes
      batch:
        path: /api/sjs/jcjl/query
        style: key-per-field
        keys: { jcbh: jcbhs, jcdx.dm: ztdms, xkzh: xkzhs }
resilience:
  timeoutMs: 300
  retries: 0
  breaker: { threshold: 50, halfOpenAfterMs: 1000 }
  bulkhead: { maxConcurrent: 4, maxQueued: 64 }
codeTables:
  jclx: { '01': RANDOM, '02': KEY, '03': CREDIT_GRADED, '04': COMPLAINT, '05': JOINT, '06': COMMITMENT_VERIFICATION }
  jcjg: { '1': NO_PROBLEM, '2': PROBLEM_FOUND, '3': RECTIFICATION_ORDERED, '4': VIOLATION_FOUND }
  zt: { '01': PLANNED, '02': INSPECTED, '03': CLOSED }
  zgzt: { '1': IN_PROGRESS, '2': RECTIFIED, '3': OVERDUE }
  dmlx: { '1': USCC, '2': LEGACY_REG_NO }
mappings:
  inspection:
    resource: jcjl
    id: jcbh
    fields:
      id: jcbh
      taskId: rwbh
      subject:
        from: jcdx
        object:
          kind: { from: dmlx, code: dmlx }
          value: dm
      subjectName: jcdx.mc
      permitNo: { from: xkzh, optional: true }
      kind: { from: jclx, code: jclx }
      inspectedOn: { from: jcrq, convert: date:epochMs }
      leadAuthorityCode: zbbm
      authorityCodes: { from: cybm, convert: textList }
      townshipCode: xzqh
      outcome: { from: jcjg, code: jcjg }
      status: { from: zt, code: zt }
      findings: { from: wtms, optional: true, default: '' }
      rectification:
        from: zg
        optional: true
        object:
          orderNo: zgtzsh
          deadline: { from: zgqx, convert: date:YYYY/MM/DD }
          status: { from: zgzt, code: zgzt }
      updatedAt: { from: gxsj, convert: instant:epochMs }
`;

/** Starts the platform holding `records` (already in its own format), oldest change first. */
export async function startProvincialPlatform(records: Array<Record<string, unknown>>): Promise<ProvincialPlatform> {
  const lookups: Record<string, (r: Record<string, unknown>) => unknown> = {
    jcbhs: (r) => r.jcbh,
    ztdms: (r) => (r.jcdx as { dm: string }).dm,
    xkzhs: (r) => r.xkzh,
  };
  const platform: ProvincialPlatform = { url: '', mode: 'up', close: async () => {} };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      if (platform.mode === 'down') {
        res.writeHead(503).end();
        return;
      }
      if (platform.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, 2000));
      const url = new URL(req.url ?? '/', 'http://platform');
      const answer = (data: unknown) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ code: '0000', message: 'ok', data }));
      };
      if (url.pathname === '/api/sjs/jcjl/query') {
        const asked = JSON.parse(body || '{}') as Record<string, string[]>;
        const [key, values] = Object.entries(asked)[0] ?? ['', []];
        const wanted = new Set(values);
        return answer(records.filter((r) => lookups[key] && wanted.has(String(lookups[key](r)))));
      }
      if (url.pathname === '/api/sjs/jcjl/changes') {
        const from = Number(url.searchParams.get('since') ?? '0');
        const size = Number(url.searchParams.get('size') ?? '100');
        const list = records.slice(from, from + size);
        return answer({ list, cursor: String(from + list.length), more: from + list.length < records.length });
      }
      if (url.pathname === '/api/sjs/jcjl') {
        const pageNo = Number(url.searchParams.get('pageNo') ?? '1');
        const pageSize = Number(url.searchParams.get('pageSize') ?? '20');
        return answer({ total: records.length, list: records.slice((pageNo - 1) * pageSize, pageNo * pageSize) });
      }
      res.writeHead(404).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  platform.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  platform.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return platform;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += String(chunk);
  return body;
}
