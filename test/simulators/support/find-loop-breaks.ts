import type { LoopBreakKind, World } from '../../../simulators/index.ts';
import { loadWorkingDayCalendar } from '../../../src/platform/holiday-calendar-file.ts';

/** The China-time civil date of an instant. */
const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/** One break as `KIND|primary ref`, so the world's breaks and the manifest compare as sets. */
export type BreakKey = `${LoopBreakKind}|${string}`;

/**
 * Finds every loop break in a world straight from the rules in the brief, independently of
 * how the generator planted them.
 */
export function findLoopBreaks(world: World): Set<BreakKey> {
  const found = new Set<BreakKey>();
  const asOf = world.asOfMs;
  // A deadline in working days (bundled holiday calendar) has passed when it fell before asOf.
  const calendar = loadWorkingDayCalendar();
  const passed = (at: number, workingDays: number) => calendar.addWorkingDays(chinaDay(at), workingDays) < world.asOf;
  const verified = new Set(
    world.inspections.filter((i) => i.kind === 'COMMITMENT_VERIFICATION').map((i) => i.permitNo),
  );
  for (const p of world.permits) {
    if (p.commitmentBased && p.verificationDueOn! < asOf && !verified.has(p.permitNo)) {
      found.add(`COMMITMENT_NOT_VERIFIED|${p.permitNo}`);
    }
  }
  const transferred = new Set(world.clues.map((c) => c.inspectionId));
  for (const i of world.inspections) {
    if (i.outcome === 'VIOLATION_FOUND' && !transferred.has(i.id)) found.add(`VIOLATION_NOT_TRANSFERRED|${i.id}`);
  }
  for (const c of world.clues) {
    if (c.status === 'RECEIVED' && c.respondedAt === null && passed(c.receivedAt, 5)) {
      found.add(`CLUE_UNANSWERED|${c.id}`);
    }
  }
  const general = new Set(world.cases.filter((c) => c.procedure === 'GENERAL').map((c) => c.caseNo));
  const published = new Set(world.creditRecords.filter((r) => r.kind === 'PENALTY_PUBLICITY').map((r) => r.decisionNo));
  const permits = new Map(world.permits.map((p) => [p.permitNo, p]));
  for (const p of world.penalties) {
    if (general.has(p.caseNo) && passed(p.decidedAt, 7) && !published.has(p.decisionNo)) {
      found.add(`PENALTY_NOT_PUBLISHED|${p.decisionNo}`);
    }
    if (p.kinds.includes('PERMIT_REVOCATION') && permits.get(p.affectedPermitNo!)?.status === 'VALID') {
      found.add(`PERMIT_VALID_AFTER_REVOCATION|${p.decisionNo}`);
    }
  }
  for (const r of world.creditRecords) {
    if (r.status === 'PUBLISHED' && r.publicityEndsOn !== null && r.publicityEndsOn < asOf) {
      found.add(`PUBLICITY_OVERDUE|${r.id}`);
    }
  }
  return found;
}

const PRIMARY_REF: Readonly<Record<LoopBreakKind, string>> = {
  COMMITMENT_NOT_VERIFIED: 'permitNo',
  VIOLATION_NOT_TRANSFERRED: 'inspectionId',
  CLUE_UNANSWERED: 'clueId',
  PENALTY_NOT_PUBLISHED: 'decisionNo',
  PERMIT_VALID_AFTER_REVOCATION: 'decisionNo',
  PUBLICITY_OVERDUE: 'recordId',
};

export function manifestKeys(world: World): Set<BreakKey> {
  return new Set(world.manifest.map((m): BreakKey => `${m.kind}|${m.refs[PRIMARY_REF[m.kind]]}`));
}
