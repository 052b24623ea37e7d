import { chinaToday } from '../../domain/china-time.ts';
import type { LoopStageName, SubjectLoopStore } from './subject-loop-store.ts';
import type { LoopGap, LoopGapKind, LoopGapPolicy, LoopGapsService } from './loop-gaps.ts';

export type LoopStageStatus = 'NONE' | 'CLOSED' | 'OPEN' | 'BROKEN';

export interface SubjectLoopStage {
  stage: LoopStageName;
  status: LoopStageStatus;
  records: number;
  open: number;
  latestOn: string | null;
  gaps: number;
}

export interface SubjectLoop {
  asOf: string;
  stages: SubjectLoopStage[];
  gaps: LoopGap[];
}

/** The stage whose record should have moved for the loop to close. */
const GAP_STAGE: Readonly<Record<LoopGapKind, LoopStageName>> = {
  COMMITMENT_NOT_VERIFIED: 'SUPERVISION',
  VIOLATION_NOT_TRANSFERRED: 'SUPERVISION',
  CLUE_UNANSWERED: 'ENFORCEMENT',
  PENALTY_NOT_PUBLISHED: 'CREDIT',
  PERMIT_VALID_AFTER_REVOCATION: 'APPROVAL',
  PUBLICITY_OVERDUE: 'CREDIT',
};

const STAGES: readonly LoopStageName[] = ['APPROVAL', 'SUPERVISION', 'ENFORCEMENT', 'CREDIT'];

/** One enterprise's loop, stage by stage, from the loop index. */
export class SubjectLoopService {
  constructor(
    private readonly store: SubjectLoopStore,
    private readonly gaps: LoopGapsService,
    private readonly today: () => string = () => chinaToday(),
  ) {}

  /**
   * A stage's figures are summed over the kinds of record the policy shows (a caller who may not
   * read clues gets an enforcement stage counted from cases and penalties alone), and its breaks
   * are those the policy shows.
   */
  async of(
    subject: { uscc: string; legacyRegNo: string | null },
    asOfArg: string | null,
    scope: string | null,
    policy: LoopGapPolicy = { showGap: () => true, showRecord: () => true },
  ): Promise<SubjectLoop> {
    const asOf = asOfArg ?? this.today();
    const codes = subject.legacyRegNo ? [subject.uscc, subject.legacyRegNo] : [subject.uscc];
    const [counts, gaps] = await Promise.all([
      this.store.stageCounts(subject.uscc, codes, asOf, scope),
      this.gaps.ofSubject(subject.uscc, asOf, scope, policy),
    ]);
    const stages = STAGES.map((stage): SubjectLoopStage => {
      // Kinds with no record reveal nothing and are not decided (nor logged as read).
      const rows = counts.filter(
        (row) => row.stage === stage && (row.records ?? 0) > 0 && policy.showRecord(row.record),
      );
      const records = rows.reduce((sum, row) => sum + (row.records ?? 0), 0);
      const open = rows.reduce((sum, row) => sum + (row.open ?? 0), 0);
      const latestOn = rows.reduce<string | null>(
        (latest, row) => (row.latestOn && (!latest || row.latestOn > latest) ? row.latestOn : latest),
        null,
      );
      const broken = gaps.filter((gap) => GAP_STAGE[gap.kind] === stage).length;
      const status: LoopStageStatus = broken > 0 ? 'BROKEN' : open > 0 ? 'OPEN' : records > 0 ? 'CLOSED' : 'NONE';
      return { stage, status, records, open, latestOn, gaps: broken };
    });
    return { asOf, stages, gaps };
  }
}
