import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type {
  CommitmentFulfilment,
  CreditGrade,
  CreditProfile,
  CreditRecord,
  CreditRecordKind,
  DishonestyListStatus,
  PublicityStatus,
} from '../../domain/types.ts';
import { isRecord } from '../http/envelope.ts';
import type { EnvelopeResult } from '../http/envelope.ts';
import {
  UnmappableFieldError,
  codeTable,
  dateFromSlashed,
  fenFromWanYuan,
  instantFromSlashed,
  nullable,
  nullableText,
  objectPayload,
  text,
} from '../mapping/index.ts';
import type { PageRequest } from '../paging.ts';

/**
 * The public credit platform (公共信用信息平台): pinyin-initial field names after the 双公示
 * standard, YYYY/MM/DD dates, fines in 万元, Chinese labels.
 */

export interface RawDishonestyListing {
  zt: string;
  lrrq: string | null;
  lryy: string | null;
}

export interface RawCreditSubject {
  tyshxydm: string;
  ztmc: string;
  xydj: string;
  pjrq: string;
  sxmd: RawDishonestyListing | null;
  gxsj: string;
}

export interface RawCommitment {
  cnlx: string;
  cnnr: string;
  lyzt: string;
  xkbh: string | null;
}

export interface RawCreditRecord {
  jlbh: string;
  jllx: string;
  tyshxydm: string;
  cf_wsh: string | null;
  cf_fkje: number | null;
  xzjg: string;
  gsrq: string;
  gsjzrq: string | null;
  gszt: string;
  cn: RawCommitment | null;
  gxsj: string;
}

/** A page: `zs` (总数) total, `jg` (结果) items. */
export interface RawPage<T> {
  zs: number;
  jg: T[];
}

/** A change-feed page: `jg` items, `xyg` (下一个) next cursor, `gd` (更多) has more. */
export interface RawChanges<T> {
  jg: T[];
  xyg: string;
  gd: boolean;
}

export type CreditRecordBatchField = 'jlbh' | 'tyshxydm' | 'cf_wsh';

/** `{ status: "success", data }` or `{ status: "error", message }`. */
export function openCreditEnvelope(body: unknown): EnvelopeResult {
  if (!isRecord(body) || typeof body.status !== 'string') return { ok: false, message: 'not a credit envelope' };
  if (body.status !== 'success') return { ok: false, message: String(body.message) };
  return { ok: true, data: body.data };
}

const creditGrade = codeTable<string, CreditGrade>('xydj', { A: 'A', B: 'B', C: 'C', D: 'D' });

const dishonestyStatus = codeTable<string, DishonestyListStatus>('sxmd.zt', {
  未列入: 'NOT_LISTED',
  列入: 'LISTED',
  已移出: 'REMOVED',
});

const recordKind = codeTable<string, CreditRecordKind>('jllx', {
  行政处罚: 'PENALTY_PUBLICITY',
  信用承诺: 'COMMITMENT',
  严重失信: 'SERIOUS_DISHONESTY',
  守信激励: 'COMMENDATION',
  信用修复: 'CREDIT_REPAIR',
});

const publicityStatus = codeTable<string, PublicityStatus>('gszt', {
  公示中: 'PUBLISHED',
  已撤下: 'WITHDRAWN',
  已修复: 'REPAIRED',
});

const fulfilment = codeTable<string, CommitmentFulfilment>('cn.lyzt', {
  履约: 'FULFILLED',
  违约: 'BREACHED',
  待核查: 'PENDING_VERIFICATION',
});

/**
 * The contract always sends `sxmd` ("未列入" when never listed). A subject without it is refused
 * (dropped and counted like any unmappable record): permit offices decide joint sanctions
 * (联合惩戒) on this status, so an unknown one must never read as "not listed".
 */
function toDishonesty(raw: unknown): CreditProfile['dishonesty'] {
  if (!isRecord(raw)) throw new UnmappableFieldError('sxmd', raw);
  return {
    status: dishonestyStatus(raw.zt),
    listedOn: nullable(raw.lrrq, (value) => dateFromSlashed('sxmd.lrrq', value)),
    reason: nullableText('sxmd.lryy', raw.lryy),
  };
}

export function toCreditProfile(raw: RawCreditSubject): CreditProfile {
  return {
    uscc: text('tyshxydm', raw.tyshxydm),
    name: text('ztmc', raw.ztmc),
    grade: creditGrade(raw.xydj),
    gradedOn: dateFromSlashed('pjrq', raw.pjrq),
    dishonesty: toDishonesty(raw.sxmd),
    updatedAt: instantFromSlashed('gxsj', raw.gxsj),
  };
}

/** The credit platform knows neither legacy numbers nor townships. */
export function toRegistryEntry(raw: RawCreditSubject): RegistryEntry {
  return {
    uscc: text('tyshxydm', raw.tyshxydm),
    legacyRegNo: null,
    name: text('ztmc', raw.ztmc),
    townshipCode: null,
    source: 'credit',
    updatedAt: instantFromSlashed('gxsj', raw.gxsj),
  };
}

function toCommitment(raw: unknown): NonNullable<CreditRecord['commitment']> {
  if (!isRecord(raw)) throw new UnmappableFieldError('cn', raw);
  return {
    type: text('cn.cnlx', raw.cnlx),
    content: text('cn.cnnr', raw.cnnr),
    fulfilment: fulfilment(raw.lyzt),
    permitNo: nullableText('cn.xkbh', raw.xkbh),
  };
}

export function toCreditRecord(raw: RawCreditRecord): CreditRecord {
  return {
    id: text('jlbh', raw.jlbh),
    kind: recordKind(raw.jllx),
    subjectUscc: text('tyshxydm', raw.tyshxydm),
    decisionNo: nullableText('cf_wsh', raw.cf_wsh),
    fineFen: nullable(raw.cf_fkje, (value) => fenFromWanYuan('cf_fkje', value)),
    authorityName: text('xzjg', raw.xzjg),
    publishedOn: dateFromSlashed('gsrq', raw.gsrq),
    publicityEndsOn: nullable(raw.gsjzrq, (value) => dateFromSlashed('gsjzrq', value)),
    status: publicityStatus(raw.gszt),
    commitment: nullable(raw.cn, toCommitment),
    updatedAt: instantFromSlashed('gxsj', raw.gxsj),
  };
}

export function parseCreditPage<T>(data: unknown): RawPage<T> {
  return objectPayload<RawPage<T>>({ zs: 'number', jg: 'array' })(data);
}

export function parseCreditChanges<T>(data: unknown): RawChanges<T> {
  return objectPayload<RawChanges<T>>({ jg: 'array', xyg: 'string', gd: 'boolean' })(data);
}

export function creditListQuery(page: PageRequest): Record<string, number> {
  return { page: page.page, size: page.pageSize };
}

export function creditChangesQuery(cursor: string | null, limit: number): Record<string, string | number | undefined> {
  return { cursor: cursor ?? undefined, limit };
}

export function toPage<R, D>(raw: RawPage<R>, items: D[]): Page<D> {
  return { total: raw.zs, items };
}

export function toFeedPage<R, D>(raw: RawChanges<R>, items: D[]): FeedPage<D> {
  return { items, nextCursor: raw.xyg, hasMore: raw.gd };
}
