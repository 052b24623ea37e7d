import { chinaToday } from '../domain/china-time.ts';
import type { LoopStageName, SubjectLoopStore } from '../store/subject-loop-store.ts';
import type { LoopGap, LoopGapKind, LoopGapsService } from './loop-gaps.ts';

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

  async of(subject: { uscc: string; legacyRegNo: string | null }, asOfArg: string | null, scope: string | null): Promise<SubjectLoop> {
    const asOf = asOfArg ?? this.today();
    const codes = subject.legacyRegNo ? [subject.uscc, subject.legacyRegNo] : [subject.uscc];
    const [counts, gaps] = await Promise.all([
      this.store.stageCounts(subject.uscc, codes, asOf),
      this.gaps.ofSubject(subject.uscc, asOf, scope),
    ]);
    const stages = STAGES.map((stage): SubjectLoopStage => {
      const c = counts.find((row) => row.stage === stage) ?? { records: 0, open: 0, latestOn: null };
      const broken = gaps.filter((gap) => GAP_STAGE[gap.kind] === stage).length;
      const status: LoopStageStatus = broken > 0 ? 'BROKEN' : c.open > 0 ? 'OPEN' : c.records > 0 ? 'CLOSED' : 'NONE';
      return { stage, status, records: c.records ?? 0, open: c.open ?? 0, latestOn: c.latestOn, gaps: broken };
    });
    return { asOf, stages, gaps };
  }
}
