import type { FeedPage, Page, RegistryEntry } from '../../domain/feeds.ts';
import type { Permit, PermitStatus, Subject, SubjectKind } from '../../domain/types.ts';
import { isRecord } from '../http/envelope.ts';
import type { EnvelopeResult } from '../http/envelope.ts';
import {
  codeTable,
  dateFromIso,
  flag,
  instantFromIso,
  nullable,
  nullableText,
  objectPayload,
  text,
} from '../mapping/index.ts';

/** The approval platform (政务服务平台): camelCase, ISO instants with +08:00, numeric statuses. */

export interface RawEnterprise {
  uscc: string;
  legacyRegNo: string | null;
  entName: string;
  entType: number;
  regionCode: string;
  industryCode: string;
  estDate: string;
  address: string;
  legalRep: { name: string; idNo: string; mobile: string };
  updatedAt: string;
}

export interface RawPermit {
  permitNo: string;
  itemCode: string;
  itemName: string;
  holderUscc: string;
  issuerCode: string;
  decisionTime: string;
  validFrom: string;
  validTo: string | null;
  status: number;
  promiseMode: boolean;
  verifyDeadline: string | null;
  updatedAt: string;
}

export interface RawPage<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface RawChanges<T> {
  items: T[];
  nextCursor: string;
  hasMore: boolean;
}

/** `{ code: 0, msg, data }`; any other code is an error. */
export function openApprovalEnvelope(body: unknown): EnvelopeResult {
  if (!isRecord(body) || typeof body.code !== 'number') return { ok: false, message: 'not an approval envelope' };
  if (body.code !== 0) return { ok: false, message: `code ${body.code}: ${String(body.msg)}` };
  return { ok: true, data: body.data };
}

const subjectKind = codeTable<number, SubjectKind>('entType', {
  1: 'COMPANY',
  2: 'INDIVIDUAL_BUSINESS',
  3: 'FARMERS_COOPERATIVE',
});

const permitStatus = codeTable<number, PermitStatus>('status', {
  1: 'VALID',
  2: 'SUSPENDED',
  3: 'REVOKED',
  4: 'EXPIRED',
  5: 'CANCELLED',
});

export function toSubject(raw: RawEnterprise): Subject {
  const legalRep: Partial<RawEnterprise['legalRep']> = raw.legalRep ?? {};
  return {
    uscc: text('uscc', raw.uscc),
    legacyRegNo: nullableText('legacyRegNo', raw.legacyRegNo),
    name: text('entName', raw.entName),
    kind: subjectKind(raw.entType),
    townshipCode: text('regionCode', raw.regionCode),
    industryCode: text('industryCode', raw.industryCode),
    establishedOn: dateFromIso('estDate', raw.estDate),
    address: text('address', raw.address),
    legalRepresentative: {
      name: text('legalRep.name', legalRep.name),
      idNumber: text('legalRep.idNo', legalRep.idNo),
      phone: text('legalRep.mobile', legalRep.mobile),
    },
    updatedAt: instantFromIso('updatedAt', raw.updatedAt),
  };
}

/** What the subject registry keeps of an enterprise. */
export function toRegistryEntry(raw: RawEnterprise): RegistryEntry {
  return {
    uscc: text('uscc', raw.uscc),
    legacyRegNo: nullableText('legacyRegNo', raw.legacyRegNo),
    name: text('entName', raw.entName),
    townshipCode: text('regionCode', raw.regionCode),
    source: 'approval',
    updatedAt: instantFromIso('updatedAt', raw.updatedAt),
  };
}

export function toPermit(raw: RawPermit): Permit {
  return {
    permitNo: text('permitNo', raw.permitNo),
    itemCode: text('itemCode', raw.itemCode),
    itemName: text('itemName', raw.itemName),
    holderUscc: text('holderUscc', raw.holderUscc),
    issuerCode: text('issuerCode', raw.issuerCode),
    decidedAt: instantFromIso('decisionTime', raw.decisionTime),
    validFrom: dateFromIso('validFrom', raw.validFrom),
    validUntil: nullable(raw.validTo, (value) => dateFromIso('validTo', value)),
    status: permitStatus(raw.status),
    commitmentBased: flag('promiseMode', raw.promiseMode),
    verificationDueOn: nullable(raw.verifyDeadline, (value) => dateFromIso('verifyDeadline', value)),
    updatedAt: instantFromIso('updatedAt', raw.updatedAt),
  };
}

export function parseApprovalPage<T>(data: unknown): RawPage<T> {
  return objectPayload<RawPage<T>>({ total: 'number', items: 'array' })(data);
}

export function parseApprovalChanges<T>(data: unknown): RawChanges<T> {
  return objectPayload<RawChanges<T>>({ items: 'array', nextCursor: 'string', hasMore: 'boolean' })(data);
}

/** Query of a change feed; an absent cursor means "from the beginning". */
export function approvalChangesQuery(
  cursor: string | null,
  limit: number,
): Record<string, string | number | undefined> {
  return { cursor: cursor ?? undefined, limit };
}

export function toPage<R, D>(raw: RawPage<R>, items: D[]): Page<D> {
  return { total: raw.total, items };
}

export function toFeedPage<R, D>(raw: RawChanges<R>, items: D[]): FeedPage<D> {
  return { items, nextCursor: raw.nextCursor, hasMore: raw.hasMore };
}
