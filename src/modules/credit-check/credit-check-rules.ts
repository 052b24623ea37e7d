import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * The credit-check rules are data (reference-data/credit-check-rules.json, or the file named by
 * CREDIT_CHECK_RULES_PATH): which records restrict an approval, how, on what legal basis and
 * for how long. What can trigger a rule is a closed set the gateway knows how to evaluate;
 * everything else — verdict, conditions, items, years, grades, texts — is in the file.
 */

export const BUNDLED_CREDIT_CHECK_RULES_PATH = fileURLToPath(
  new URL('../../../reference-data/credit-check-rules.json', import.meta.url),
);

export const CREDIT_CHECK_TRIGGERS = [
  'SERIOUS_DISHONESTY_LISTED',
  'PERMIT_REVOKED',
  'FINE_NOT_EXECUTED',
  'OPEN_CASE_SAME_ITEM',
  'CREDIT_GRADE',
  'COMMITMENT_BREACHED',
] as const;
export type CreditCheckTrigger = (typeof CREDIT_CHECK_TRIGGERS)[number];

/**
 * The source fields a reason of each trigger reveals whatever the file says: what the code puts
 * in `triggeredBy` (ids and dates) and `appliesUntil`, beside what it tests. A rule must name at
 * least these in `reveals`, or a field the caller may not read could reach it through a reason.
 */
export const TRIGGER_REVEALS: Readonly<Record<CreditCheckTrigger, readonly string[]>> = {
  SERIOUS_DISHONESTY_LISTED: [
    'Subject.credit',
    'Credit.dishonesty',
    'DishonestyListing.status',
    'DishonestyListing.listedOn',
    'Credit.records',
    'CreditRecord.id',
    'CreditRecord.publicityEndsOn',
  ],
  PERMIT_REVOKED: [
    'Subject.penalties',
    'Penalty.decisionNo',
    'Penalty.kinds',
    'Penalty.decidedAt',
    'Penalty.affectedPermit',
    'Permit.permitNo',
    'Permit.itemCode',
    'Permit.validFrom',
  ],
  FINE_NOT_EXECUTED: [
    'Subject.penalties',
    'Penalty.decisionNo',
    'Penalty.kinds',
    'Penalty.fine',
    'Penalty.executionStatus',
    'Penalty.decidedAt',
  ],
  OPEN_CASE_SAME_ITEM: ['Subject.cases', 'Case.caseNo', 'Case.status', 'Case.powerItem', 'Case.filedAt'],
  CREDIT_GRADE: ['Subject.credit', 'Credit.grade', 'Credit.gradedOn'],
  COMMITMENT_BREACHED: [
    'Subject.credit',
    'Credit.records',
    'CreditRecord.id',
    'CreditRecord.commitment',
    'CreditCommitment.fulfilment',
    'CreditRecord.publishedOn',
  ],
};

export const CREDIT_CHECK_CONDITIONS = [
  'STRICT_REVIEW',
  'NO_COMMITMENT_APPROVAL',
  'FINE_TO_BE_PAID',
  'ON_SITE_VERIFICATION',
] as const;
export type CreditCheckCondition = (typeof CREDIT_CHECK_CONDITIONS)[number];

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const coordinate = z.string().regex(/^[A-Z]\w*\.\w+$/, 'must be a schema coordinate such as Penalty.executionStatus');

const rule = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be kebab-case'),
    trigger: z.enum(CREDIT_CHECK_TRIGGERS),
    verdict: z.enum(['CONDITIONS', 'REFUSE']),
    conditions: z.array(z.enum(CREDIT_CHECK_CONDITIONS)).default([]),
    text: nonEmpty,
    legalBasis: nonEmpty,
    reveals: z.array(coordinate).min(1, 'must name the source fields a reason of this rule reveals'),
    /** PERMIT_REVOKED: the permit items the bar applies to, and for how many years after the decision. */
    items: z.array(nonEmpty).min(1).optional(),
    years: z.number().int().positive().optional(),
    /** CREDIT_GRADE: the grades that trigger the rule. */
    grades: z
      .array(z.enum(['A', 'B', 'C', 'D']))
      .min(1)
      .optional(),
  })
  .superRefine((r, ctx) => {
    if (r.trigger === 'PERMIT_REVOKED' && (r.items === undefined || r.years === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'a PERMIT_REVOKED rule needs items and years' });
    }
    if (r.trigger === 'CREDIT_GRADE' && r.grades === undefined)
      ctx.addIssue({ code: 'custom', message: 'a CREDIT_GRADE rule needs grades' });
    if (r.verdict === 'CONDITIONS' && r.conditions.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'a CONDITIONS rule must name its conditions' });
    }
  });

const rulesFile = z.object({
  description: z.string().optional(),
  version: nonEmpty,
  /** The approval items the check answers for, with the supervision domain a case must share to count as "the same item". */
  permitItems: z.array(z.object({ code: nonEmpty, name: nonEmpty, domain: nonEmpty })).min(1),
  rules: z.array(rule).min(1),
});

export type CreditCheckRule = z.infer<typeof rule>;
export type CreditCheckRules = z.infer<typeof rulesFile>;

/**
 * Validates rules, naming every problem at once: the file's shape, duplicate ids and items,
 * items a rule names that the file does not list, revealed fields the schema does not declare
 * (`knownCoordinates`, from the SDL's @share declarations) and fields its trigger's reasons
 * reveal that it does not name (`TRIGGER_REVEALS`).
 */
export function creditCheckRulesFrom(
  data: unknown,
  knownCoordinates: ReadonlySet<string>,
  source = 'credit-check rules',
): CreditCheckRules {
  const parsed = rulesFile.safeParse(data);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
  if (parsed.success) {
    const rules = parsed.data;
    const itemCodes = new Set(rules.permitItems.map((item) => item.code));
    if (itemCodes.size !== rules.permitItems.length) problems.push('permitItems: an item code is listed twice');
    const ids = new Set<string>();
    rules.rules.forEach((r, index) => {
      if (ids.has(r.id)) problems.push(`rules.${index}.id: ${r.id} is used twice`);
      ids.add(r.id);
      for (const item of r.items ?? [])
        if (!itemCodes.has(item)) problems.push(`rules.${index}.items: ${item} is not in permitItems`);
      for (const field of r.reveals)
        if (!knownCoordinates.has(field))
          problems.push(`rules.${index}.reveals: ${field} is not a field of the schema`);
      const unnamed = TRIGGER_REVEALS[r.trigger].filter((field) => !r.reveals.includes(field));
      if (unnamed.length > 0)
        problems.push(`rules.${index}.reveals: a ${r.trigger} reason reveals ${unnamed.join(', ')} too; name them`);
    });
  }
  if (problems.length > 0) throw new Error(`Invalid ${source}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return parsed.data!;
}

/** Reads a rules file (the bundled one unless a path is given). */
export function loadCreditCheckRules(
  knownCoordinates: ReadonlySet<string>,
  path: string = BUNDLED_CREDIT_CHECK_RULES_PATH,
): CreditCheckRules {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the credit-check rules ${path}: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`The credit-check rules ${path} are not JSON: ${(error as Error).message}`, { cause: error });
  }
  return creditCheckRulesFrom(json, knownCoordinates, `credit-check rules ${path}`);
}
