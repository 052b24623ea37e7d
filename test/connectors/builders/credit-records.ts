/** The credit platform's records as docs/agency-apis.md §4 writes them (mapped by profiles/credit.yaml). */

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

export function rawCreditSubject(overrides: Partial<RawCreditSubject> = {}): RawCreditSubject {
  return {
    tyshxydm: '91330381MA2C8Y6K1X',
    ztmc: '瑞安市安阳机械有限公司',
    xydj: 'B',
    pjrq: '2024/01/15',
    sxmd: { zt: '未列入', lrrq: null, lryy: null },
    gxsj: '2024/01/15 10:00:00',
    ...overrides,
  };
}

export function rawCommitment(overrides: Partial<RawCommitment> = {}): RawCommitment {
  return {
    cnlx: '告知承诺',
    cnnr: '承诺符合食品经营许可条件',
    lyzt: '待核查',
    xkbh: '浙审330381-2023-000123',
    ...overrides,
  };
}

/** A penalty publicity record (行政处罚) by default; override what a test is about. */
export function rawCreditRecord(overrides: Partial<RawCreditRecord> = {}): RawCreditRecord {
  return {
    jlbh: 'XY2023000123',
    jllx: '行政处罚',
    tyshxydm: '91330381MA2C8Y6K1X',
    cf_wsh: '瑞综执罚决字〔2023〕第123号',
    cf_fkje: 0.5,
    xzjg: '瑞安市综合行政执法局',
    gsrq: '2023/06/01',
    gsjzrq: '2026/06/01',
    gszt: '公示中',
    cn: null,
    gxsj: '2023/06/01 10:00:00',
    ...overrides,
  };
}
