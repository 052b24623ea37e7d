/** The approval platform's records as docs/agency-apis.md §1 writes them (mapped by profiles/approval.yaml). */

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

/** An enterprise as the approval platform sends it; override what a test is about. */
export function rawEnterprise(overrides: Partial<RawEnterprise> = {}): RawEnterprise {
  return {
    uscc: '91330381MA2C8Y6K1X',
    legacyRegNo: '330381000012345',
    entName: '瑞安市安阳机械有限公司',
    entType: 1,
    regionCode: '330381001',
    industryCode: 'C34',
    estDate: '2012-03-05T00:00:00+08:00',
    address: '瑞安市安阳街道万松路1号',
    legalRep: { name: '陈明', idNo: '330381198001011234', mobile: '13800000000' },
    updatedAt: '2024-01-02T10:00:00+08:00',
    ...overrides,
  };
}

export function rawPermit(overrides: Partial<RawPermit> = {}): RawPermit {
  return {
    permitNo: '浙审330381-2023-000123',
    itemCode: '330381-XK-0012',
    itemName: '食品经营许可',
    holderUscc: '91330381MA2C8Y6K1X',
    issuerCode: '330381-XZSPJ',
    decisionTime: '2023-05-12T09:30:00+08:00',
    validFrom: '2023-05-12T00:00:00+08:00',
    validTo: '2028-05-11T00:00:00+08:00',
    status: 1,
    promiseMode: true,
    verifyDeadline: '2023-08-12T00:00:00+08:00',
    updatedAt: '2023-05-12T09:30:00+08:00',
    ...overrides,
  };
}
