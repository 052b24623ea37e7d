import type { PermitStatus, SubjectKind } from '../../src/domain/types.ts';
import type { Rendered } from '../server/resource-store.ts';
import { isoInstant } from '../world/china-time.ts';
import type { WorldEnterprise, WorldPermit } from '../world/model.ts';

/** The approval platform: camelCase, ISO instants with +08:00, numeric statuses. */
const ENT_TYPE: Readonly<Record<SubjectKind, number>> = { COMPANY: 1, INDIVIDUAL_BUSINESS: 2, FARMERS_COOPERATIVE: 3 };
const PERMIT_STATUS: Readonly<Record<PermitStatus, number>> = {
  VALID: 1,
  SUSPENDED: 2,
  REVOKED: 3,
  EXPIRED: 4,
  CANCELLED: 5,
};

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : isoInstant(ms);
}

export function renderEnterprise(e: WorldEnterprise): Rendered {
  return {
    uscc: e.uscc,
    legacyRegNo: e.legacyRegNo,
    entName: e.name,
    entType: ENT_TYPE[e.kind],
    regionCode: e.townshipCode,
    industryCode: e.industryCode,
    estDate: isoInstant(e.establishedOn),
    address: e.address,
    legalRep: { name: e.legalRepName, idNo: e.legalRepIdNumber, mobile: e.legalRepPhone },
    updatedAt: isoInstant(e.updatedAt),
  };
}

export function renderPermit(p: WorldPermit): Rendered {
  return {
    permitNo: p.permitNo,
    itemCode: p.itemCode,
    itemName: p.itemName,
    holderUscc: p.holderUscc,
    issuerCode: p.issuerCode,
    decisionTime: isoInstant(p.decidedAt),
    validFrom: isoInstant(p.validFrom),
    validTo: isoOrNull(p.validUntil),
    status: PERMIT_STATUS[p.status],
    promiseMode: p.commitmentBased,
    verifyDeadline: isoOrNull(p.verificationDueOn),
    updatedAt: isoInstant(p.updatedAt),
  };
}
