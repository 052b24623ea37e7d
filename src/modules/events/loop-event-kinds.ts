import type { LoopEventKind } from './loop-event.ts';

/** Every loop event kind, for checking input; the type in loop-event.ts says what each means. */
export const LOOP_EVENT_KINDS = [
  'PERMIT_ISSUED',
  'PERMIT_CHANGED',
  'VIOLATION_FOUND',
  'PENALTY_DECIDED',
  'TRANSFER_STEP',
  'SHARING_REQUEST_SUBMITTED',
  'SHARING_REQUEST_ANSWERED',
  'TRANSFER_DELIVERY_FAILING',
  'CREDIT_CHECK_CHANGED',
] as const satisfies readonly LoopEventKind[];

export function isLoopEventKind(value: string): value is LoopEventKind {
  return (LOOP_EVENT_KINDS as readonly string[]).includes(value);
}
