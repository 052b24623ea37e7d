import { randomUUID } from 'node:crypto';
import type { LoopEvent } from '../../src/modules/events/loop-event.ts';

/** A loop event for tests: a penalty decided for `subject`, concerning `authority`, with a fresh dedupe key. */
export function penaltyDecided(subject: string, authority: string, details: Record<string, unknown> = {}): LoopEvent {
  const decisionNo = `瑞综执罚决字〔2026〕第${randomUUID().slice(0, 8)}号`;
  return {
    kind: 'PENALTY_DECIDED',
    subjectUscc: subject,
    concerns: [authority],
    occurredAt: new Date('2026-03-05T10:00:00+08:00'),
    dedupeKey: `PENALTY_DECIDED:${decisionNo}`,
    payload: { decisionNo, ...details },
  };
}

/** A fresh authority code, so each test's subscriptions see only that test's events. */
export function freshAuthority(label: string): string {
  return `TEST-${label}-${randomUUID().slice(0, 8)}`;
}
