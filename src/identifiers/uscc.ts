/**
 * Unified social credit codes (统一社会信用代码, GB 32100-2015).
 *
 * 18 characters: registration authority (1), subject type (1), administrative division (6),
 * organisation code body (8) + its GB 11714 check character (1), and the overall check
 * character (1) computed over the first 17 with weights 3^i mod 31.
 */

/** The 31 characters a USCC may use: digits and capitals except I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccProblem =
  | { kind: 'length'; message: string }
  | { kind: 'character'; position: number; message: string }
  | { kind: 'organisation-code-check'; expected: string; message: string }
  | { kind: 'check-character'; expected: string; message: string };

/** Computes the GB 32100 check character (position 18) for the first 17 characters. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    sum += USCC_ALPHABET.indexOf(first17[i]!) * USCC_WEIGHTS[i]!;
  }
  const value = (31 - (sum % 31)) % 31;
  return USCC_ALPHABET[value]!;
}

/** Computes the GB 11714 check character for an 8-character organisation code body. */
export function organisationCodeCheckCharacter(body: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    sum += characterValue(body[i]!) * ORG_CODE_WEIGHTS[i]!;
  }
  const value = 11 - (sum % 11);
  if (value === 10) return 'X';
  if (value === 11) return '0';
  return String(value);
}

/** GB 11714 values digits as themselves and letters A..Z as 10..35. */
function characterValue(char: string): number {
  const code = char.charCodeAt(0);
  return code <= 57 ? code - 48 : code - 55;
}

/**
 * Returns every problem with a candidate code, most basic first; an empty list means valid.
 * Callers show the first problem; the list exists so tests and logs can see all of them.
 */
export function usccProblems(candidate: string): UsccProblem[] {
  if (candidate.length !== 18) {
    return [{ kind: 'length', message: `must be 18 characters, got ${candidate.length}` }];
  }
  for (let i = 0; i < 18; i++) {
    const char = candidate[i]!;
    if (!USCC_ALPHABET.includes(char)) {
      const hint = /[a-z]/.test(char) ? ' (letters must be upper case)' : '';
      return [
        {
          kind: 'character',
          position: i + 1,
          message: `character ${i + 1} '${char}' is not allowed${hint}; use digits and capitals except I, O, S, V, Z`,
        },
      ];
    }
  }
  const problems: UsccProblem[] = [];
  const orgBody = candidate.slice(8, 16);
  const orgCheck = candidate[16]!;
  if (/^[0-9A-Z]{8}$/.test(orgBody)) {
    const expectedOrg = organisationCodeCheckCharacter(orgBody);
    if (expectedOrg !== orgCheck) {
      problems.push({
        kind: 'organisation-code-check',
        expected: expectedOrg,
        message: `embedded organisation code ${orgBody}-${orgCheck} fails its GB 11714 check: character 17 should be '${expectedOrg}'`,
      });
    }
  }
  const expected = usccCheckCharacter(candidate.slice(0, 17));
  if (expected !== candidate[17]) {
    problems.push({
      kind: 'check-character',
      expected,
      message: `check character (18th) is '${candidate[17]}' but the first 17 characters require '${expected}'`,
    });
  }
  return problems;
}

export function isValidUscc(candidate: string): boolean {
  return usccProblems(candidate).length === 0;
}

/** Builds a valid USCC from its parts; used by the simulators' data generator and by tests. */
export function buildUscc(parts: {
  authority: string;
  subjectType: string;
  divisionCode: string;
  organisationBody: string;
}): string {
  const orgCheck = organisationCodeCheckCharacter(parts.organisationBody);
  const first17 = `${parts.authority}${parts.subjectType}${parts.divisionCode}${parts.organisationBody}${orgCheck}`;
  return first17 + usccCheckCharacter(first17);
}

/**
 * Legacy 15-digit business registration numbers (工商注册号, GS15—2006): 6-digit division,
 * 8-digit sequence, and a check digit by ISO 7064 MOD 11,10.
 */
export function legacyRegistrationCheckDigit(first14: string): string {
  let product = 10;
  for (const digit of first14) {
    let sum = (product + Number(digit)) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  return String((11 - product) % 10);
}

export function isLegacyRegistrationNumber(candidate: string): boolean {
  return /^\d{15}$/.test(candidate) && legacyRegistrationCheckDigit(candidate.slice(0, 14)) === candidate[14];
}
