import { chinaToday } from '../../domain/china-time.ts';
import type { LocalDate } from '../../domain/types.ts';
import { BadUserInputError } from '../../platform/errors.ts';
import type { CreditCheckRules } from './credit-check-rules.ts';
import { evaluateRules, type Evaluation, type JurisdictionScope, type SubjectFacts } from './evaluate-rules.ts';

/** Checks one request may ask for at once. */
export const MAX_CREDIT_CHECKS = 200;

export interface CreditCheckRequest {
  uscc: string;
  item: string;
  asOf?: LocalDate | null;
}

export interface CreditCheckResult extends Evaluation {
  uscc: string;
  item: string;
  itemName: string;
  asOf: LocalDate;
  complete: boolean;
  rulesVersion: string;
}

/** Where the facts of a subject come from, and whether it is known at all. */
export interface FactsSource {
  isKnownSubject(uscc: string): Promise<boolean>;
  facts(uscc: string): Promise<SubjectFacts>;
  /** For a caller whose jurisdiction does not cover the served area: what it sees only there. */
  scope?(facts: SubjectFacts): Promise<JurisdictionScope>;
  /**
   * Resources (`<system>.<resource>`) of which some record read so far could not be read, of
   * whichever subject: asked once every fact is in, it applies to every check of the batch.
   */
  unreadable?(): ReadonlySet<string>;
}

/** The credit check (信用核查): one rules file, applied to whatever facts source the caller has. */
export class CreditCheckService {
  constructor(
    readonly rules: CreditCheckRules,
    private readonly today: () => LocalDate = () => chinaToday(),
  ) {}

  /**
   * Runs the checks in order. Every request is validated first and a bad one refuses the whole
   * batch with each problem named (index, field, reason), before any agency is asked.
   */
  async check(
    requests: readonly CreditCheckRequest[],
    source: FactsSource,
    mayRead?: (field: string) => boolean,
  ): Promise<CreditCheckResult[]> {
    if (requests.length === 0)
      throw new BadUserInputError('requests must hold at least one credit check', { reason: 'EMPTY_BATCH' });
    if (requests.length > MAX_CREDIT_CHECKS) {
      throw new BadUserInputError(`At most ${MAX_CREDIT_CHECKS} credit checks per request, got ${requests.length}.`, {
        reason: 'BATCH_TOO_LARGE',
        limit: MAX_CREDIT_CHECKS,
        got: requests.length,
      });
    }
    const items = new Map(this.rules.permitItems.map((item) => [item.code, item]));
    const problems = requests.flatMap((request, index) =>
      items.has(request.item)
        ? []
        : [
            {
              index,
              field: 'item',
              reason: 'UNKNOWN_PERMIT_ITEM',
              message: `${JSON.stringify(request.item)} is not a permit item the credit-check rules list`,
            },
          ],
    );
    const known = await Promise.all(requests.map((request) => source.isKnownSubject(request.uscc)));
    known.forEach((isKnown, index) => {
      if (!isKnown)
        problems.push({
          index,
          field: 'uscc',
          reason: 'UNKNOWN_SUBJECT',
          message: `no market subject ${requests[index]!.uscc} is registered`,
        });
    });
    if (problems.length > 0) {
      problems.sort((a, b) => a.index - b.index);
      throw new BadUserInputError(
        problems.length === 1
          ? problems[0]!.message
          : `${problems.length} credit checks cannot be made: ${problems.map((p) => `#${p.index} ${p.message}`).join('; ')}`,
        { reason: problems[0]!.reason, problems },
      );
    }
    const today = this.today();
    // Every fact first, then the evaluations: a record dropped while reading another subject's
    // facts may be this one's, and a check evaluated before it was dropped would not know.
    const gathered = await Promise.all(
      requests.map(async (request) => {
        const facts = await source.facts(request.uscc);
        return { facts, scope: await source.scope?.(facts) };
      }),
    );
    const unreadable = source.unreadable?.() ?? new Set<string>();
    return requests.map((request, index) => {
      const asOf = request.asOf ?? today;
      const { facts, scope } = gathered[index]!;
      const evaluation = evaluateRules(
        this.rules,
        withUnreadable(facts, unreadable),
        request.item,
        asOf,
        mayRead,
        scope && { ...scope, within: withUnreadable(scope.within, unreadable) },
      );
      return {
        ...evaluation,
        uscc: request.uscc,
        item: request.item,
        itemName: items.get(request.item)!.name,
        asOf,
        complete:
          evaluation.notEvaluated.length === 0 &&
          evaluation.partlyEvaluated.length === 0 &&
          evaluation.appliedOverUnreadable.length === 0,
        rulesVersion: this.rules.version,
      };
    });
  }
}

function withUnreadable(facts: SubjectFacts, unreadable: ReadonlySet<string>): SubjectFacts {
  if (unreadable.size === 0) return facts;
  return { ...facts, unreadable: new Set([...(facts.unreadable ?? []), ...unreadable]) };
}
