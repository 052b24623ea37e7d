import { describe, expect, it } from 'vitest';
import {
  buildUscc,
  isLegacyRegistrationNumber,
  isValidUscc,
  legacyRegistrationCheckDigit,
  usccProblems,
} from '../../src/identifiers/uscc.ts';

/** Replaces one character (1-based position) of a code. */
function withCharacter(code: string, position: number, char: string): string {
  return code.slice(0, position - 1) + char + code.slice(position);
}

describe('USCC validation (GB 32100)', () => {
  it.each(['91110108551385082Q', '91350100M000100Y43', '12100000400000624D'])('accepts the real code %s', (code) => {
    expect(usccProblems(code)).toEqual([]);
  });

  it('accepts every code it builds', () => {
    const code = buildUscc({ authority: '9', subjectType: '1', divisionCode: '330381', organisationBody: 'MA2H7K3Q' });
    expect(isValidUscc(code)).toBe(true);
  });

  it('names the expected check character when the last one is wrong', () => {
    const [problem] = usccProblems('911101085513850820');
    expect(problem).toMatchObject({ kind: 'check-character', expected: 'Q' });
    expect(problem?.message).toContain("require 'Q'");
  });

  it('reports the length when the code is too short or too long', () => {
    expect(usccProblems('9111010855138508')[0]).toMatchObject({ kind: 'length' });
    expect(usccProblems('91110108551385082QQ')[0]?.message).toBe('must be 18 characters, got 19');
  });

  it.each([
    ['I', 5],
    ['O', 9],
    ['S', 12],
    ['V', 3],
    ['Z', 17],
  ])('refuses the letter %s and names its position', (letter, position) => {
    const [problem] = usccProblems(withCharacter('91110108551385082Q', position, letter));
    expect(problem).toMatchObject({ kind: 'character', position });
    expect(problem?.message).toContain(`character ${position} '${letter}'`);
  });

  it('explains that letters must be upper case', () => {
    expect(usccProblems('91110108551385082q')[0]?.message).toContain('upper case');
  });

  it('detects a broken embedded organisation code even when the final check was recomputed', () => {
    // Change the organisation code's own check character, then fix the overall check character,
    // as a careless system that only knows the 18th-character rule would.
    const broken17 = withCharacter('91110108551385082Q', 17, '3').slice(0, 17);
    const rechecked =
      broken17 +
      buildUscc({ authority: '9', subjectType: '1', divisionCode: '110108', organisationBody: '55138508' }).slice(17);
    const problems = usccProblems(rechecked).map((p) => p.kind);
    expect(problems).toContain('organisation-code-check');
  });
});

describe('legacy 15-digit registration numbers', () => {
  it('accepts a number whose ISO 7064 MOD 11,10 check digit is right', () => {
    const number = `33038100001234${legacyRegistrationCheckDigit('33038100001234')}`;
    expect(isLegacyRegistrationNumber(number)).toBe(true);
  });

  it('refuses a wrong check digit, letters and the wrong length', () => {
    const right = `33038100001234${legacyRegistrationCheckDigit('33038100001234')}`;
    const wrong = right.slice(0, 14) + String((Number(right[14]) + 1) % 10);
    expect(isLegacyRegistrationNumber(wrong)).toBe(false);
    expect(isLegacyRegistrationNumber('33038100001234A')).toBe(false);
    expect(isLegacyRegistrationNumber('3303810000123')).toBe(false);
  });
});
