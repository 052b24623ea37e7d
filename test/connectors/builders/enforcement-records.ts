/** The enforcement case system's records as docs/agency-apis.md §3 writes them (mapped by profiles/enforcement.yaml). */

export interface RawClue {
  CLUE_ID: string;
  SOURCE: number;
  INSPECTION_ID: string | null;
  SUBJECT_USCC: string;
  ITEM_CODE: string;
  SENDER_ORG: string;
  RECEIVER_ORG: string;
  REGION_CODE: string;
  RECEIVED_TIME: number;
  RESPONDED_TIME: number | null;
  STATUS: number;
  CASE_NO: string | null;
  INFORMANT_NAME: string | null;
  INFORMANT_PHONE: string | null;
  UPDATE_TIME: number;
}

export interface RawCase {
  CASE_NO: string;
  CLUE_ID: string | null;
  SUBJECT_USCC: string;
  SUBJECT_NAME: string;
  ITEM_CODE: string;
  ORG_CODE: string;
  REGION_CODE: string;
  PROCEDURE: number;
  STATUS: number;
  LENIENT: number;
  LEGAL_REVIEW: number;
  FILING_TIME: number;
  DECISION_TIME: number | null;
  CLOSE_TIME: number | null;
  UPDATE_TIME: number;
}

export interface RawPenalty {
  DECISION_NO: string;
  CASE_NO: string;
  SUBJECT_USCC: string;
  PENALTY_TYPES: string;
  FINE_FEN: number;
  CONFISCATED_FEN: number;
  PERMIT_NO: string | null;
  DECISION_TIME: number;
  EXEC_STATUS: number;
  EXEC_TIME: number | null;
  UPDATE_TIME: number;
}

export interface RawRegion {
  REGION_CODE: string;
  REGION_NAME: string;
  LEVEL: number;
  PARENT_CODE: string | null;
}

export interface RawOrg {
  ORG_CODE: string;
  ORG_NAME: string;
  ORG_TYPE: number;
  REGION_CODE: string;
}

export interface RawDelegation {
  REGION_CODE: string;
  MODE: number;
  ORG_CODE: string;
  VALID_FROM: number;
  VALID_TO: number | null;
}

export interface RawItem {
  ITEM_CODE: string;
  ITEM_NAME: string;
  DOMAIN: string;
  LEGAL_BASIS: string;
  DELEGATIONS: RawDelegation[];
}

/** 2023-05-12T10:30:00+08:00 */
export const MAY_12_1030 = 1683858600000;
/** 2023-05-13T09:46:40+08:00 */
export const MAY_13_0946 = 1683942400000;

export function rawClue(overrides: Partial<RawClue> = {}): RawClue {
  return {
    CLUE_ID: 'XS2023000123',
    SOURCE: 1,
    INSPECTION_ID: 'JC2023000123',
    SUBJECT_USCC: '91330381MA2C8Y6K1X',
    ITEM_CODE: '330381-CF-0042',
    SENDER_ORG: '330381-SCJGJ',
    RECEIVER_ORG: '330381001-ZFD',
    REGION_CODE: '330381001',
    RECEIVED_TIME: MAY_12_1030,
    RESPONDED_TIME: MAY_13_0946,
    STATUS: 4,
    CASE_NO: '瑞综执立〔2023〕123号',
    INFORMANT_NAME: null,
    INFORMANT_PHONE: null,
    UPDATE_TIME: MAY_13_0946,
    ...overrides,
  };
}

export function rawCase(overrides: Partial<RawCase> = {}): RawCase {
  return {
    CASE_NO: '瑞综执立〔2023〕123号',
    CLUE_ID: 'XS2023000123',
    SUBJECT_USCC: '91330381MA2C8Y6K1X',
    SUBJECT_NAME: '瑞安市安阳机械有限公司',
    ITEM_CODE: '330381-CF-0042',
    ORG_CODE: '330381001-ZFD',
    REGION_CODE: '330381001',
    PROCEDURE: 2,
    STATUS: 40,
    LENIENT: 0,
    LEGAL_REVIEW: 1,
    FILING_TIME: MAY_12_1030,
    DECISION_TIME: MAY_13_0946,
    CLOSE_TIME: null,
    UPDATE_TIME: MAY_13_0946,
    ...overrides,
  };
}

export function rawPenalty(overrides: Partial<RawPenalty> = {}): RawPenalty {
  return {
    DECISION_NO: '瑞综执罚决字〔2023〕第123号',
    CASE_NO: '瑞综执立〔2023〕123号',
    SUBJECT_USCC: '91330381MA2C8Y6K1X',
    PENALTY_TYPES: '1,2',
    FINE_FEN: 500000,
    CONFISCATED_FEN: 0,
    PERMIT_NO: null,
    DECISION_TIME: MAY_13_0946,
    EXEC_STATUS: 0,
    EXEC_TIME: null,
    UPDATE_TIME: MAY_13_0946,
    ...overrides,
  };
}

export function rawRegion(overrides: Partial<RawRegion> = {}): RawRegion {
  return { REGION_CODE: '330381001', REGION_NAME: '安阳街道', LEVEL: 4, PARENT_CODE: '330381', ...overrides };
}

export function rawOrg(overrides: Partial<RawOrg> = {}): RawOrg {
  return {
    ORG_CODE: '330381001-ZFD',
    ORG_NAME: '瑞安市安阳街道综合行政执法队',
    ORG_TYPE: 3,
    REGION_CODE: '330381001',
    ...overrides,
  };
}

export function rawDelegation(overrides: Partial<RawDelegation> = {}): RawDelegation {
  return {
    REGION_CODE: '330381001',
    MODE: 1,
    ORG_CODE: '330381001-ZFD',
    VALID_FROM: 1704038400000,
    VALID_TO: null,
    ...overrides,
  };
}

export function rawItem(overrides: Partial<RawItem> = {}): RawItem {
  return {
    ITEM_CODE: '330381-CF-0042',
    ITEM_NAME: '对未取得食品经营许可从事食品经营活动的行政处罚',
    DOMAIN: '市场监管',
    LEGAL_BASIS: '《中华人民共和国食品安全法》第一百二十二条',
    DELEGATIONS: [rawDelegation()],
    ...overrides,
  };
}
