import type {
  CommitmentFulfilment,
  CreditRecordKind,
  DishonestyListStatus,
  PublicityStatus,
} from '../../src/domain/types.ts';
import type { Rendered } from '../server/resource-store.ts';
import { slashDate, slashStamp } from '../world/china-time.ts';
import type { WorldCreditProfile, WorldCreditRecord } from '../world/model.ts';

/** The credit platform: pinyin initials, YYYY/MM/DD dates, fines in 万元, Chinese labels. */
const LIST_STATUS: Readonly<Record<DishonestyListStatus, string>> = {
  NOT_LISTED: '未列入',
  LISTED: '列入',
  REMOVED: '已移出',
};
const KIND: Readonly<Record<CreditRecordKind, string>> = {
  PENALTY_PUBLICITY: '行政处罚',
  COMMITMENT: '信用承诺',
  SERIOUS_DISHONESTY: '严重失信',
  COMMENDATION: '守信激励',
  CREDIT_REPAIR: '信用修复',
};
const PUBLICITY: Readonly<Record<PublicityStatus, string>> = {
  PUBLISHED: '公示中',
  WITHDRAWN: '已撤下',
  REPAIRED: '已修复',
};
const FULFILMENT: Readonly<Record<CommitmentFulfilment, string>> = {
  FULFILLED: '履约',
  BREACHED: '违约',
  PENDING_VERIFICATION: '待核查',
};
const FEN_PER_WAN_YUAN = 1_000_000;

export function renderSubject(s: WorldCreditProfile): Rendered {
  return {
    tyshxydm: s.uscc,
    ztmc: s.name,
    xydj: s.grade,
    pjrq: slashDate(s.gradedOn),
    sxmd: {
      zt: LIST_STATUS[s.dishonestyStatus],
      lrrq: s.listedOn === null ? null : slashDate(s.listedOn),
      lryy: s.listedReason,
    },
    gxsj: slashStamp(s.updatedAt),
  };
}

/** Fines are whole multiples of 50 yuan, so fen / 1,000,000 prints as a short exact decimal. */
export function renderRecord(r: WorldCreditRecord): Rendered {
  return {
    jlbh: r.id,
    jllx: KIND[r.kind],
    tyshxydm: r.subjectUscc,
    cf_wsh: r.decisionNo,
    cf_fkje: r.fineFen === null ? null : r.fineFen / FEN_PER_WAN_YUAN,
    xzjg: r.authorityName,
    gsrq: slashDate(r.publishedOn),
    gsjzrq: r.publicityEndsOn === null ? null : slashDate(r.publicityEndsOn),
    gszt: PUBLICITY[r.status],
    cn: r.commitment && {
      cnlx: r.commitment.type,
      cnnr: r.commitment.content,
      lyzt: FULFILMENT[r.commitment.fulfilment],
      xkbh: r.commitment.permitNo,
    },
    gxsj: slashStamp(r.updatedAt),
  };
}
