import { formatChinaInstant } from '../../domain/china-time.ts';
import type { ClaimedDelivery } from './event-delivery-store.ts';

/**
 * The JSON body a receiver gets. Delivery is at least once: the same event can arrive more than
 * once (a retry after a lost answer, a restart mid-delivery), always with the same `id`, which
 * receivers deduplicate on; `attempt` and `sentAt` differ between copies.
 */
export interface WebhookEnvelope {
  id: string;
  kind: string;
  subject: string;
  occurredAt: string;
  dedupeKey: string;
  payload: Record<string, unknown>;
  subscriptionId: string;
  authorityCode: string;
  attempt: number;
  sentAt: string;
}

export function webhookBody(delivery: ClaimedDelivery, now: Date = new Date()): string {
  const envelope: WebhookEnvelope = {
    id: delivery.event.id,
    kind: delivery.event.kind,
    subject: delivery.event.subjectUscc,
    occurredAt: delivery.event.occurredAt,
    dedupeKey: delivery.event.dedupeKey,
    payload: delivery.event.payload,
    subscriptionId: delivery.subscription.id,
    authorityCode: delivery.subscription.authorityCode,
    attempt: delivery.attempts,
    sentAt: formatChinaInstant(now.getTime()),
  };
  return JSON.stringify(envelope);
}
