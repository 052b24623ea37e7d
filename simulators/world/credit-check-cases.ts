import { isValidUscc } from '../../src/identifiers/uscc.ts';
import { parseChinaDate } from './china-time.ts';
import type { World } from './model.ts';
import { PERMIT_ITEMS } from './permit-items.ts';

/**
 * Subjects of the generated world that trigger each credit-check rule of the bundled rules file
 * (reference-data/credit-check-rules.json), and subjects that trigger none. Selected from the
 * world as generated — nothing is planted and no random number is drawn — so the rest of the
 * world, and every loop-break count, stays as it was. Up to three subjects per rule, by USCC.
 */
export interface CreditCheckCase {
  rule: string;
  subjectUscc: string;
  /** The permit item to check the subject for. */
  item: string;
  refs: Record<string, string>;
}

export interface CreditCheckManifest {
  asOf: string;
  triggered: CreditCheckCase[];
  /** Subjects no rule applies to, for any item. */
  clear: Array<{ subjectUscc: string; item: string }>;
}

const PER_RULE = 3;
/** The food production and trading permits 食品安全法 第135条 bars for five years after a revocation. */
const FOOD_PERMIT_ITEMS = new Set(
  PERMIT_ITEMS.filter((i) => i.name === '食品经营许可' || i.name === '食品生产许可').map((i) => i.code),
);
const OPEN_CASE = new Set(['FILED', 'INVESTIGATING', 'LEGAL_REVIEW', 'DECIDED', 'SERVED']);
/** An item no rule singles out (公共场所卫生许可). */
const NEUTRAL_ITEM = PERMIT_ITEMS.find((i) => i.name === '公共场所卫生许可')!.code;

export function creditCheckCases(world: World): CreditCheckManifest {
  const asOfEnd = parseChinaDate(world.asOf) + 86_400_000;
  const fiveYearsBefore = parseChinaDate(`${Number(world.asOf.slice(0, 4)) - 5}${world.asOf.slice(4)}`);
  const valid = (uscc: string) => isValidUscc(uscc);
  const permits = new Map(world.permits.map((p) => [p.permitNo, p]));
  const domains = new Map(world.powerItems.map((p) => [p.code, p.domain]));
  const triggered: CreditCheckCase[] = [];
  const add = (rule: string, cases: CreditCheckCase[]) => {
    const seen = new Set<string>();
    const unique = cases.filter((c) => valid(c.subjectUscc) && !seen.has(c.subjectUscc) && seen.add(c.subjectUscc));
    triggered.push(...unique.sort((a, b) => (a.subjectUscc < b.subjectUscc ? -1 : 1)).slice(0, PER_RULE));
  };

  add(
    'serious-dishonesty-list',
    world.creditProfiles
      .filter((p) => p.dishonestyStatus === 'LISTED' && p.listedOn !== null && p.listedOn < asOfEnd)
      .map((p) => ({
        rule: 'serious-dishonesty-list',
        subjectUscc: p.uscc,
        item: NEUTRAL_ITEM,
        refs: { listedOn: new Date(p.listedOn! + 8 * 3_600_000).toISOString().slice(0, 10) },
      })),
  );
  add(
    'revoked-food-permit-bar',
    world.penalties.flatMap((p) => {
      const permit = p.affectedPermitNo === null ? undefined : permits.get(p.affectedPermitNo);
      if (
        !p.kinds.includes('PERMIT_REVOCATION') ||
        !permit ||
        !FOOD_PERMIT_ITEMS.has(permit.itemCode) ||
        p.decidedAt < fiveYearsBefore ||
        p.decidedAt >= asOfEnd
      )
        return [];
      return [
        {
          rule: 'revoked-food-permit-bar',
          subjectUscc: p.subjectUscc,
          item: permit.itemCode,
          refs: { decisionNo: p.decisionNo, permitNo: permit.permitNo },
        },
      ];
    }),
  );
  add(
    'unexecuted-fine',
    world.penalties
      .filter(
        (p) => p.kinds.includes('FINE') && p.fineFen > 0 && p.executionStatus !== 'EXECUTED' && p.decidedAt < asOfEnd,
      )
      .map((p) => ({
        rule: 'unexecuted-fine',
        subjectUscc: p.subjectUscc,
        item: NEUTRAL_ITEM,
        refs: { decisionNo: p.decisionNo },
      })),
  );
  add(
    'open-case-same-item',
    world.cases.flatMap((c) => {
      const item = PERMIT_ITEMS.find((i) => i.domain === domains.get(c.powerItemCode));
      if (!OPEN_CASE.has(c.status) || c.filedAt >= asOfEnd || !item) return [];
      return [
        {
          rule: 'open-case-same-item',
          subjectUscc: c.subjectUscc,
          item: item.code,
          refs: { caseNo: c.caseNo, domain: item.domain },
        },
      ];
    }),
  );
  add(
    'credit-grade-d',
    world.creditProfiles
      .filter((p) => p.grade === 'D' && p.gradedOn < asOfEnd)
      .map((p) => ({ rule: 'credit-grade-d', subjectUscc: p.uscc, item: NEUTRAL_ITEM, refs: { grade: 'D' } })),
  );
  add(
    'commitment-breached',
    world.creditRecords
      .filter(
        (r) =>
          r.kind === 'COMMITMENT' &&
          r.commitment?.fulfilment === 'BREACHED' &&
          r.status === 'PUBLISHED' &&
          r.publishedOn < asOfEnd,
      )
      .map((r) => ({
        rule: 'commitment-breached',
        subjectUscc: r.subjectUscc,
        item: NEUTRAL_ITEM,
        refs: { recordId: r.id },
      })),
  );

  return {
    asOf: world.asOf,
    triggered,
    clear: clearSubjects(world, permits).map((subjectUscc) => ({ subjectUscc, item: NEUTRAL_ITEM })),
  };
}

/** Subjects with no record any rule looks at: nothing listed, graded D, breached, fined unpaid, revoked or open. */
function clearSubjects(world: World, permits: ReadonlyMap<string, { itemCode: string }>): string[] {
  const flagged = new Set<string>();
  for (const p of world.creditProfiles) if (p.grade === 'D' || p.dishonestyStatus === 'LISTED') flagged.add(p.uscc);
  for (const r of world.creditRecords)
    if (r.kind === 'COMMITMENT' && r.commitment?.fulfilment === 'BREACHED') flagged.add(r.subjectUscc);
  for (const p of world.penalties) {
    const revokedFood =
      p.kinds.includes('PERMIT_REVOCATION') &&
      FOOD_PERMIT_ITEMS.has(permits.get(p.affectedPermitNo ?? '')?.itemCode ?? '');
    if ((p.fineFen > 0 && p.executionStatus !== 'EXECUTED') || revokedFood) flagged.add(p.subjectUscc);
  }
  for (const c of world.cases) if (OPEN_CASE.has(c.status)) flagged.add(c.subjectUscc);
  const withHistory = new Set([
    ...world.penalties.map((p) => p.subjectUscc),
    ...world.creditProfiles.map((p) => p.uscc),
  ]);
  return world.enterprises
    .map((e) => e.uscc)
    .filter((uscc) => isValidUscc(uscc) && withHistory.has(uscc) && !flagged.has(uscc))
    .sort()
    .slice(0, PER_RULE);
}
