import { randomUUID } from 'node:crypto';
import type { Authority } from '../../src/domain/types.ts';
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

/**
 * Authority codes of this test file's own, new at every run, so each test's subscriptions see
 * only that test's events (a database shared across runs keeps older subscriptions). A gateway
 * subscribes only authorities on the reference list: give these to `startTestGateway`.
 */
const RUN = randomUUID().slice(0, 8);
export const TEST_AUTHORITIES: readonly Authority[] = Array.from({ length: 64 }, (_, n) => ({
  code: `TEST-${RUN}-${String(n).padStart(2, '0')}`,
  name: `测试接收单位${n}`,
  kind: 'INDUSTRY_DEPARTMENT',
  jurisdictionCode: '330381',
}));
let handedOut = 0;

/** The next of TEST_AUTHORITIES no test of this file has had. */
export function freshAuthority(): string {
  const authority = TEST_AUTHORITIES[handedOut];
  if (!authority) throw new Error(`every one of the ${TEST_AUTHORITIES.length} test authorities is taken`);
  handedOut += 1;
  return authority.code;
}
