import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  BUNDLED_CREDIT_CHECK_RULES_PATH,
  creditCheckRulesFrom,
  loadCreditCheckRules,
} from '../../src/modules/credit-check/index.ts';
import { readSharingDeclarations } from '../../src/modules/access/sharing-declarations.ts';
import { loadTypeDefs } from '../../src/schema.ts';

const { declarations } = readSharingDeclarations(buildASTSchema(parse(loadTypeDefs().join('\n'))));
const coordinates = new Set(declarations.keys());
const bundled = () =>
  JSON.parse(readFileSync(BUNDLED_CREDIT_CHECK_RULES_PATH, 'utf8')) as {
    rules: Array<Record<string, unknown>>;
    permitItems: unknown[];
  };

describe('the bundled credit-check rules', () => {
  it('hold at least the six rules of the issue, each with its legal basis and the fields it reveals', () => {
    const rules = loadCreditCheckRules(coordinates);
    expect(rules.rules.map((r) => r.trigger).sort()).toEqual([
      'COMMITMENT_BREACHED',
      'CREDIT_GRADE',
      'FINE_NOT_EXECUTED',
      'OPEN_CASE_SAME_ITEM',
      'PERMIT_REVOKED',
      'SERIOUS_DISHONESTY_LISTED',
    ]);
    for (const rule of rules.rules) expect(rule.legalBasis.length, rule.id).toBeGreaterThan(20);
  });

  it('reveal conditional source fields in exactly two rules, which a caller must hold a grant for', () => {
    const conditional = loadCreditCheckRules(coordinates).rules.flatMap((rule) =>
      rule.reveals
        .filter((field) => declarations.get(field)?.sharingClass !== 'UNCONDITIONAL')
        .map((field) => `${rule.id} ${field}`),
    );
    expect(conditional).toEqual([
      'unexecuted-fine Penalty.executionStatus',
      'commitment-breached CreditRecord.commitment',
    ]);
  });

  it('bar food permits for five years after a revocation (食品安全法 第135条)', () => {
    const bar = loadCreditCheckRules(coordinates).rules.find((r) => r.trigger === 'PERMIT_REVOKED')!;
    expect(bar).toMatchObject({ verdict: 'REFUSE', years: 5, items: ['330381-XK-0001', '330381-XK-0002'] });
  });
});

describe('a credit-check rules file with mistakes', () => {
  it('is refused with every problem named at once', () => {
    const data = bundled();
    data.rules[0] = { ...data.rules[0], trigger: 'SOMETHING_ELSE' };
    data.rules[1] = { ...data.rules[1], items: ['330381-XK-9999'] };
    data.rules[2] = { ...data.rules[2], reveals: ['Penalty.secretField'] };
    data.rules[3] = { ...data.rules[3], id: data.rules[4]!.id };
    expect(() => creditCheckRulesFrom(data, coordinates)).toThrow(/rules\.0\.trigger/);
    const fixedTrigger = bundled();
    fixedTrigger.rules[1] = { ...fixedTrigger.rules[1], items: ['330381-XK-9999'] };
    fixedTrigger.rules[2] = { ...fixedTrigger.rules[2], reveals: ['Penalty.secretField'] };
    fixedTrigger.rules[3] = { ...fixedTrigger.rules[3], id: fixedTrigger.rules[4]!.id };
    expect(() => creditCheckRulesFrom(fixedTrigger, coordinates)).toThrow(
      /rules\.1\.items: 330381-XK-9999 is not in permitItems[\s\S]*rules\.2\.reveals: Penalty\.secretField is not a field of the schema[\s\S]*rules\.4\.id: credit-grade-d is used twice/,
    );
  });

  it('is refused when a rule does not name a field its reasons reveal (an id or a date they carry)', () => {
    const data = bundled();
    const fine = data.rules.findIndex((r) => r['trigger'] === 'FINE_NOT_EXECUTED');
    data.rules[fine] = {
      ...data.rules[fine],
      reveals: (data.rules[fine]!['reveals'] as string[]).filter((field) => field !== 'Penalty.decidedAt'),
    };
    expect(() => creditCheckRulesFrom(data, coordinates)).toThrow(
      new RegExp(`rules\\.${fine}\\.reveals: a FINE_NOT_EXECUTED reason reveals Penalty\\.decidedAt too`),
    );
  });

  it('is refused when a rule lacks what its trigger needs', () => {
    const data = bundled();
    const { grades: _grades, ...gradeRule } = data.rules[4]!;
    data.rules[4] = gradeRule;
    expect(() => creditCheckRulesFrom(data, coordinates)).toThrow(/rules\.4: a CREDIT_GRADE rule needs grades/);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadCreditCheckRules(coordinates, '/nonexistent/rules.json')).toThrow(/\/nonexistent\/rules\.json/);
  });
});
