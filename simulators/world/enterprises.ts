import type { SubjectKind } from '../../src/domain/types.ts';
import { USCC_ALPHABET, buildUscc, legacyRegistrationCheckDigit } from '../../src/identifiers/uscc.ts';
import type { WorldBuilder } from './builder.ts';
import { chinaMidnight } from './china-time.ts';
import { enterpriseLabel } from './enterprise-names.ts';
import type { WorldEnterprise } from './model.ts';
import { mobilePhone, personName, residentIdNumber } from './people.ts';
import type { Random } from './random.ts';
import { COUNTY_CODE, TOWNSHIP_WEIGHTS } from './places.ts';
import { EVENTS_START, days, randomDay, randomInstant } from './timeline.ts';

const SUBJECT_TYPE: Readonly<Record<SubjectKind, string>> = {
  COMPANY: '1',
  INDIVIDUAL_BUSINESS: '2',
  FARMERS_COOPERATIVE: '3',
};
const BASE31_SPACE = 31 ** 6;

/** Offsets drawn once per world so that codes differ between seeds but never collide within one. */
export interface CodeOffsets {
  body: number;
  registration: number;
}

export function drawCodeOffsets(b: WorldBuilder): CodeOffsets {
  return { body: b.rng.int(0, 1e8 - 1), registration: b.rng.int(0, 1e8 - 1) };
}

/** An affine map (index * prime + offset) mod space is a bijection, so codes are unique. */
function scramble(index: number, offset: number, space: number): number {
  return (index * 7919 + offset) % space;
}

function base31(value: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = USCC_ALPHABET[value % 31]! + out;
    value = Math.floor(value / 31);
  }
  return out;
}

/** Pre-2016 subjects carry old numeric organisation codes; newer ones the "MA" series. */
function organisationBody(index: number, legacy: boolean, offsets: CodeOffsets): string {
  if (legacy) return String(scramble(index, offsets.body, 1e8)).padStart(8, '0');
  return `MA${base31(scramble(index, offsets.body, BASE31_SPACE), 6)}`;
}

/** About 1% of codes were typed in wrong upstream: the 18th character fails the check. */
function miskey(uscc: string, rng: Random): string {
  const current = USCC_ALPHABET.indexOf(uscc[17]!);
  return uscc.slice(0, 17) + USCC_ALPHABET[(current + rng.int(1, 30)) % 31]!;
}

export function generateEnterprise(b: WorldBuilder, index: number, offsets: CodeOffsets): WorldEnterprise {
  const { rng, asOfMs } = b;
  const township = rng.weighted(TOWNSHIP_WEIGHTS);
  const legacy = rng.chance(0.3);
  const establishedOn = legacy
    ? randomDay(rng, chinaMidnight(1998, 1, 1), chinaMidnight(2015, 12, 31))
    : randomDay(rng, EVENTS_START, asOfMs - days(90));
  const kind = rng.weighted<SubjectKind>([
    ['COMPANY', 60],
    ['INDIVIDUAL_BUSINESS', 37],
    ['FARMERS_COOPERATIVE', 3],
  ]);
  let uscc = buildUscc({
    authority: '9',
    subjectType: SUBJECT_TYPE[kind],
    divisionCode: COUNTY_CODE,
    organisationBody: organisationBody(index, legacy, offsets),
  });
  if (rng.chance(0.01)) uscc = miskey(uscc, rng);
  let legacyRegNo: string | null = null;
  if (legacy) {
    const first14 = `${COUNTY_CODE}${String(scramble(index, offsets.registration, 1e8)).padStart(8, '0')}`;
    legacyRegNo = first14 + legacyRegistrationCheckDigit(first14);
  }
  const label = enterpriseLabel(rng, kind, township.name);
  return {
    uscc,
    legacyRegNo,
    name: label.name,
    kind,
    townshipCode: township.code,
    industryCode: label.industryCode,
    establishedOn,
    address: label.address,
    legalRepName: personName(rng),
    legalRepIdNumber: residentIdNumber(rng),
    legalRepPhone: mobilePhone(rng),
    updatedAt: randomInstant(rng, Math.max(establishedOn, EVENTS_START), asOfMs - 1000),
  };
}
